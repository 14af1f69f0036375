// Attendance rules and compliance: pure functions over plain data (no store, no devices).
// See README.md in this folder for every rule and its source.
export * from './reasons.js';
export * from './calendar-dates.js';
export * from './construction-calendar.js';
export * from './gate-policy-schema.js';
export * from './gate-policy.js';
export * from './attendance-days.js';
export * from './management-compliance.js';
export * from './makeup.js';
export * from './monthly-sheet.js';
export * from './monthly-sheet-writers.js';
export * from './data-completeness.js';
export * from './time-window-preview.js';
