// Device attestation of attendance items (a SiteGate extension; platforms that do not know it
// ignore the extra fields). Each WorkerAttendance.Add item carries `deviceSn`, `deviceEventId`
// and `deviceSign`: the device's Ed25519 signature over the canonical bytes of what the item
// states (project, person, time, direction, kind, local event id). The platform verifies it
// with the public key the device registers in its heartbeat (`devicePublicKey`).
import { canonicalBytes } from '../../../edge-core/src/index.js';

export interface DeviceAttestor {
  deviceSn: string;
  /** Raw Ed25519 public key (32 bytes). */
  publicKey: Buffer;
  sign(message: Buffer): Buffer;
}

export interface AttestedFields {
  projectCode: string;
  idCardType: string;
  /** The plain ID number (the statement is signed before field encryption). */
  idCardNumber: string;
  /** yyyy-MM-dd HH:mm:ss as sent. */
  date: string;
  direction: string;
  attendType: string;
  deviceEventId: string;
}

export function attestationMessage(f: AttestedFields): Buffer {
  return canonicalBytes(['sitegate-attendance-attestation/v1', f.projectCode, f.idCardType, f.idCardNumber, f.date, f.direction, f.attendType, f.deviceEventId]);
}
