// Resident ID number (GB 11643) check digit, used by the simulator to refuse bad data the
// way the platform does and by tests to build obviously synthetic valid numbers. The rule
// lives in edge-core's domain.
export { idCheckDigit, isValidResidentId, withCheckDigit } from '../../../edge-core/src/index.js';
