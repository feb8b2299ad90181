/** `10%` → 0.1 and `0.1` → 0.1, with which form was used; undefined for anything else. */
export function parseFraction(text: string): { value: number; percent: boolean } | undefined {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(text);
  if (!match) return undefined;
  const percent = match[2] === "%";
  return { value: Number(match[1]) / (percent ? 100 : 1), percent };
}
