/**
 * Masks a mobile number for display in a list: the first three and last
 * four digits stay, the middle becomes asterisks (13812345678 → 138****5678).
 * Numbers too short to mask that way show only their last two digits.
 */
export function maskMobile(mobile: string): string {
  const s = mobile.trim();
  if (s.length >= 8) return `${s.slice(0, 3)}****${s.slice(-4)}`;
  if (s.length > 2) return `${'*'.repeat(s.length - 2)}${s.slice(-2)}`;
  return s;
}

/** Formats an ISO date-time from the gateway as local China time, minutes precision. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  // The gateway answers in Asia/Shanghai (+08:00): show that wall time.
  return iso.slice(0, 16).replace('T', ' ');
}
