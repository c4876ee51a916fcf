// Block Kit and message size limits in one place, so the renderer truncates against the same
// numbers the tests check. https://docs.slack.dev/reference/block-kit/blocks
// https://docs.slack.dev/reference/methods/chat.postMessage#truncating

/** Blocks in one message (a Home tab allows 100). */
export const MAX_BLOCKS = 50;
export const MAX_HOME_BLOCKS = 100;
/** Characters in a section's (or context element's) text object. */
export const MAX_SECTION_TEXT = 3000;
/** Characters in a header block's plain_text. */
export const MAX_HEADER_TEXT = 150;
/** Fields in one section, and characters in each. */
export const MAX_FIELDS = 10;
export const MAX_FIELD_TEXT = 2000;
/** Interactive elements in one actions block. */
export const MAX_ACTION_ELEMENTS = 25;
/** Elements in one context block. */
export const MAX_CONTEXT_ELEMENTS = 10;
/** A button's label, and its value. */
export const MAX_BUTTON_TEXT = 75;
export const MAX_BUTTON_VALUE = 2000;
/** Options in a static select, and an option's label and value. */
export const MAX_SELECT_OPTIONS = 100;
export const MAX_OPTION_TEXT = 75;
export const MAX_OPTION_VALUE = 150;
/** A URL on a button or in a link. */
export const MAX_URL = 3000;
/** Top-level `text`: Slack truncates past 40,000 characters. */
export const MAX_MESSAGE_TEXT = 40_000;
/**
 * All text of one message's blocks together. Not a documented Block Kit field limit, but
 * messages far beyond it are refused as `msg_blocks_too_long` (bolt-js#2509, #2867).
 */
export const MAX_TOTAL_BLOCK_TEXT = 12_000;
