// Connection strings carry AUTH tokens; everything this tool prints goes through here first.

/** `rediss://***@host:port/db` (credentials replaced), or a placeholder for anything unparsable. */
export function maskUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // An unparsable string may still hold the password: never echo any of it.
    return "<unparsable URL>";
  }
  const auth = url.username !== "" || url.password !== "" ? "***@" : "";
  const path = url.pathname === "/" ? "" : url.pathname;
  return `${url.protocol}//${auth}${url.host}${path}`;
}

/** The secrets held by a URL (password, raw and decoded), for scrubbing third-party messages. */
export function secretsOf(raw: string): string[] {
  try {
    const url = new URL(raw);
    if (url.password === "") return [];
    const decoded = (() => {
      try {
        return decodeURIComponent(url.password);
      } catch {
        return url.password;
      }
    })();
    return [...new Set([url.password, decoded, raw])];
  } catch {
    return [raw];
  }
}

/** Replaces every secret, and every whole URL, in `text`. Longest first, so no fragment survives. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].filter((s) => s.length > 0).sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join("***");
  }
  return out;
}
