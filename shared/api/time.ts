/** metav1.Time as the API writes it: RFC 3339 in UTC, whole seconds (`2026-01-02T03:04:05Z`). */
export function rfc3339(at: Date | number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
