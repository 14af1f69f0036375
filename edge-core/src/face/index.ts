// Public API of the face engine (re-exported by edge-core/src/index.ts).
export {
  createFaceEngine,
  loadFaceEngine,
  FaceEngine,
  chooseFace,
  cutByEdge,
  dot,
  type FaceEngineOptions,
  type FaceEngineStatus,
  type AnalyzeOptions,
  type FaceAnalysis,
  type FaceObservation,
  type IdPhotoMatch,
} from './engine.js';
export { Gallery, type Template, type Candidate, type SearchOptions, type SearchResult, type GallerySnapshot } from './gallery.js';
export { loadGallery, saveGallerySnapshot, encodeSnapshot, decodeSnapshot, type LoadedGallery } from './gallery-loader.js';
export {
  assessLiveness,
  GATE_LIVENESS,
  LIVENESS_POLICIES,
  eyeAspectRatio,
  type LivenessFrame,
  type LivenessPolicy,
  type LivenessDecision,
  type LivenessSignal,
  type SignalName,
} from './liveness.js';
export {
  issueChallenge,
  evaluateChallenge,
  CHALLENGE_PROMPTS,
  CHALLENGE_RULES,
  CHALLENGE_STEPS,
  type Challenge,
  type ChallengeStep,
  type ChallengeObservation,
  type ChallengeProgress,
  type ChallengeRules,
} from './challenge.js';
export { GATE_QUALITY, ID_PHOTO_QUALITY, type QualityPolicy, type QualityReport, type Pose } from './quality.js';
export { HeuristicHelmetDetector, HeuristicMaskDetector, ModelMaskDetector, type AttributeDetector, type AttributeResult, type FaceRegion } from './attributes.js';
export { ModelIntegrityError, readManifest, type ModelManifest, type ModelProblem } from './manifest.js';
export { decodeImage, type RgbImage } from './image.js';
export { FACE_REASONS, type FaceReason, type FaceReasonCode } from './reasons.js';
