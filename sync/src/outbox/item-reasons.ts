// Sorting the platform's per-item failure reasons: "try again later" versus "this data is
// refused" (parked for the supervisor with the platform's words).
export function isTransientItemReason(reason: string, pattern: RegExp): boolean {
  return pattern.test(reason);
}
