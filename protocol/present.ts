// A value an invariant guarantees where the types cannot see it (a regular expression's group
// that is not optional, an entry written just before it is read): returned as is, or a clear
// error naming the invariant that broke. Only where the invariant truly holds; anything input
// can make absent is checked and answered where it arrives.
export function present<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`[invariant] ${what} is missing`);
  return value;
}
