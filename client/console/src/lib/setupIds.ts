// Identifiers the set-up suggests for what the admin creates: the first free `<prefix>-<n>`
// (rooms, committees), or `<prefix><nn>` for members. Pure.

/** The first of prefix-1, prefix-2, … not taken. */
export function nextId(prefix: string, taken: readonly string[]): string {
  const used = new Set(taken);
  for (let n = 1; ; n += 1) if (!used.has(`${prefix}-${n}`)) return `${prefix}-${n}`;
}

/** The next member id after the highest `<prefix><digits>` taken, two digits at least: d01, d02, … */
export function nextMemberId(prefix: string, taken: readonly string[]): string {
  const pattern = new RegExp(`^${prefix}(\\d+)$`);
  const highest = Math.max(0, ...taken.map((id) => Number(pattern.exec(id)?.[1] ?? 0)));
  const used = new Set(taken);
  for (let n = highest + 1; ; n += 1) {
    const id = `${prefix}${String(n).padStart(2, '0')}`;
    if (!used.has(id)) return id;
  }
}
