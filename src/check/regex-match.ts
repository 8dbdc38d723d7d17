// Matching an HTTP_GET/SSL_GET body against the url's regex within regex_min_offset /
// regex_max_offset (the PCRE2 option mapping is config/values/regex-options.ts).

/**
 * Whether `subject` has a match starting at or after `minOffset` and (when given) at or before
 * `maxOffset`, as keepalived's regex_min_offset / regex_max_offset bound the search.
 */
export function regexFinds(regex: RegExp, subject: string, minOffset = 0, maxOffset?: number): boolean {
  const searching = new RegExp(regex.source, regex.flags.includes('g') ? regex.flags : `${regex.flags}g`);
  searching.lastIndex = minOffset;
  const found = searching.exec(subject);
  return found !== null && (maxOffset === undefined || found.index <= maxOffset);
}
