export { startFakeAnthropic, endTurn } from './server.js';
export { countTokens } from './prompt-cache.js';
export type { FakeAnthropic, FakeReply, FakeScript, FakeToolUse, FailureSpec, RecordedRequest } from './server.js';
export { scriptedInvestigator, type ScriptedInvestigatorOptions } from './scripted-investigator.js';
