/**
 * Request understanding: reads what a person asks for (Russian or English) into hard constraints the
 * catalog can filter on, plus the words left for semantic search. Used by the offline engine and
 * available to any code that needs to check a recommendation against the request.
 */
export {
  detectLanguage,
  hasAnyConstraint,
  readConstraints,
  readMessage,
  type Language,
  type MessageReading,
  type MessageSignals,
  type RequestConstraints,
} from './constraints.js';
export { readConversation, type ConversationReading } from './conversation.js';
export {
  CORE_CONSTRAINTS,
  constraintViolations,
  grapeSatisfied,
  hardConstraintViolations,
  pairingSatisfied,
  regionSatisfied,
  type CheckableConstraints,
  type ConstraintKey,
  type HardConstraints,
  type WineFacts,
} from './matching.js';
export { PAIRINGS, type PairingInfo } from '../catalog/lexicon/index.js';
export { COUNTRIES, describeFood, GRAPES, REGIONS } from './words.js';
