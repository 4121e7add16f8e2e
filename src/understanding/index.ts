/**
 * Request understanding: reads what a person asks for (Russian or English) into hard constraints the
 * catalog can filter on, plus the words left for semantic search. Used by the offline engine and
 * available to any code that needs to check a recommendation against the request. Every word is read
 * through the shared lexicon (src/catalog/lexicon), the same one catalog search reads.
 */
export {
  detectLanguage,
  hasAnyConstraint,
  type Language,
  type MessageReading,
  type MessageSignals,
  type RequestConstraints,
  type SmallTalk,
  type WineQuestion,
} from './request.js';
export { readConstraints, readMessage } from './message.js';
export { readConversation, type ConversationReading } from './conversation.js';
export { describeFood } from './subjects.js';
export {
  CORE_CONSTRAINTS,
  constraintViolations,
  grapeSatisfied,
  hardConstraintViolations,
  pairingSatisfied,
  regionSatisfied,
  sweetnessOfWine,
  type CheckableConstraints,
  type ConstraintKey,
  type HardConstraints,
  type WineFacts,
} from './matching.js';
export { COUNTRIES, GRAPES, PAIRINGS, REGIONS, type PairingInfo } from '../catalog/lexicon/index.js';
