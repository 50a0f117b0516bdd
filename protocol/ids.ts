// What makes an identifier (a body, room, member, sitting, item or vote id), without zod, so a
// page that loads no zod (the overlay) checks ids by the same rule as `Id` in model.ts.
export const ID_MAX_LENGTH = 64;
/** Short, ASCII, no separators that need escaping in URLs and logs. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export const isId = (value: string | null): value is string =>
  value !== null && value.length >= 1 && value.length <= ID_MAX_LENGTH && ID_PATTERN.test(value);
