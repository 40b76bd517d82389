export { boundHead, boundTail, clip, defaultMaxChars, type BoundOptions } from './bound.js';
export { formatPodSummary, formatPodDescribe, podDisplayStatus, type FormatPodOptions } from './pod.js';
export { formatLogs, stripAnsi, foldRepeatedLines, type FormatLogsOptions } from './logs.js';
export { formatEvents, formatEventLine, type FormatEventsOptions } from './events.js';
export { formatDeployment, diffTemplates } from './deployment.js';
export { formatNode, type FormatNodeOptions } from './node.js';
export { formatHpa } from './hpa.js';
