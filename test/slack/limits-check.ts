// Checks a rendered message against Block Kit's limits (src/slack/limits.ts) and returns every
// violation, so a failing test names what broke.
import { blockTextLength } from "../../src/slack/block-kit.js";
import * as L from "../../src/slack/limits.js";

type Obj = Record<string, unknown>;

export function limitViolations(
  message: { text: string; blocks: unknown[] },
  maxBlocks = L.MAX_BLOCKS,
): string[] {
  const out: string[] = [];
  const { text, blocks } = message;
  if (!text.trim()) out.push("text fallback is empty");
  if (text.length > L.MAX_MESSAGE_TEXT) out.push(`text fallback has ${text.length} chars`);
  if (blocks.length > maxBlocks) out.push(`${blocks.length} blocks`);
  const total = blockTextLength(blocks);
  if (total > L.MAX_TOTAL_BLOCK_TEXT) out.push(`${total} chars of text in blocks`);
  const actionIds = new Set<string>();
  const checkElement = (el: Obj, where: string) => {
    const id = el.action_id as string | undefined;
    if (id) {
      if (actionIds.has(id)) out.push(`${where}: duplicate action_id ${id}`);
      actionIds.add(id);
    }
    const label = (el.text as Obj | undefined)?.text as string | undefined;
    if (el.type === "button") {
      if (!label || label.length > L.MAX_BUTTON_TEXT) out.push(`${where}: button text ${label?.length}`);
      if (typeof el.value === "string" && el.value.length > L.MAX_BUTTON_VALUE)
        out.push(`${where}: button value`);
      if (typeof el.url === "string" && el.url.length > L.MAX_URL) out.push(`${where}: button url`);
    }
    if (el.type === "static_select") {
      const options = el.options as Obj[];
      if (options.length > L.MAX_SELECT_OPTIONS) out.push(`${where}: ${options.length} options`);
      for (const o of options) {
        if (((o.text as Obj).text as string).length > L.MAX_OPTION_TEXT) out.push(`${where}: option text`);
        if ((o.value as string).length > L.MAX_OPTION_VALUE) out.push(`${where}: option value`);
      }
    }
  };
  blocks.forEach((raw, i) => {
    const b = raw as Obj;
    const where = `block ${i} (${b.type})`;
    const t = (b.text as Obj | undefined)?.text as string | undefined;
    if (b.type === "header" && (!t || t.length > L.MAX_HEADER_TEXT))
      out.push(`${where}: header ${t?.length}`);
    if (b.type === "section") {
      if (t !== undefined && (t.length === 0 || t.length > L.MAX_SECTION_TEXT))
        out.push(`${where}: text ${t.length}`);
      const fields = (b.fields as Obj[] | undefined) ?? [];
      if (fields.length > L.MAX_FIELDS) out.push(`${where}: ${fields.length} fields`);
      for (const f of fields)
        if ((f.text as string).length > L.MAX_FIELD_TEXT) out.push(`${where}: field too long`);
      if (b.accessory) checkElement(b.accessory as Obj, where);
    }
    if (b.type === "actions") {
      const els = b.elements as Obj[];
      if (els.length > L.MAX_ACTION_ELEMENTS) out.push(`${where}: ${els.length} elements`);
      for (const el of els) checkElement(el, where);
    }
    if (b.type === "context") {
      const els = b.elements as Obj[];
      if (els.length > L.MAX_CONTEXT_ELEMENTS) out.push(`${where}: ${els.length} elements`);
      for (const el of els)
        if ((el.text as string).length > L.MAX_SECTION_TEXT) out.push(`${where}: element text`);
    }
  });
  return out;
}
