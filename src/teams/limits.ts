// Microsoft Teams limits the renderer and the handler respect, in one place so that tests and
// code agree. https://learn.microsoft.com/microsoftteams/platform/bots/how-to/format-your-bot-messages
// and https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-reference

/**
 * Adaptive Card schema version. 1.5 is the newest version that Teams renders on desktop, web
 * *and* mobile; 1.6 features are desktop/web only, and a card that declares a version the
 * client does not support shows only its fallbackText.
 */
export const CARD_VERSION = "1.5";

/**
 * Our budget for one card, measured as the UTF-16 size of its JSON (string length × 2), which is
 * how Teams counts. Teams refuses messages over about 28 KB of card (40 KB for the whole activity)
 * with 413 MessageSizeTooBig; 24 KB leaves room for the activity envelope.
 */
export const MAX_CARD_UTF16_BYTES = 24 * 1024;

/** Teams shows at most 6 actions in one set on mobile; more are hidden behind an overflow menu. */
export const MAX_ACTIONS_PER_SET = 6;

/** Choice buttons in one card: two rows of six; the rest are named in an "and N more" line. */
export const MAX_CHOICE_ACTIONS = 12;

/** Results in one messaging-extension answer (Teams asks for 25; each carries a full card). */
export const MAX_SEARCH_RESULTS = 10;

/** Notification and preview text (`summary`, thumbnail text). */
export const MAX_SUMMARY_CHARS = 200;

/** A plain text message (the fallback when a card is refused). Teams' limit is about 28 KB. */
export const MAX_TEXT_CHARS = 8000;

/** Commands Teams shows in the bot's command menu, and the length of each title and description. */
export const MAX_COMMANDS = 10;
export const MAX_COMMAND_TITLE = 32;
export const MAX_COMMAND_DESCRIPTION = 128;
