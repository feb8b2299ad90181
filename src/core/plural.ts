/** `1 CPU`, `2 CPUs`: a count with its noun in English (regular plurals only). */
export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
