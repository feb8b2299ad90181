/** Credentials never reach a results file or the terminal (nano's scrubURL does the same). */
export function scrubUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return url.replace(/\/\/[^@/]*@/, "//");
  }
}

export function withCredentials(url: string, user: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  parsed.password = encodeURIComponent(password);
  return parsed.toString().replace(/\/$/, "");
}

/** Removes `user:password@` from any URL inside a command line or message. */
export function scrubText(text: string): string {
  return text.replace(/(\w+:\/\/)[^@\s/]*@/g, "$1");
}
