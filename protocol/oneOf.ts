// Whether a string is one of a closed list of values — a URL option, a cell of an imported file,
// an event's type — as a type guard, so nothing needs a cast after the check.
export const oneOf = <T extends string>(values: readonly T[], value: string | null | undefined): value is T =>
  values.some((v) => v === value);
