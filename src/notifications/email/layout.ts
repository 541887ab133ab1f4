import escapeHtml from 'escape-html';

/**
 * Every email is built from these blocks, and only this file turns them into HTML: templates hand
 * over plain strings, so user-supplied text (class titles, reasons, announcements) is escaped in
 * one place and cannot be forgotten in another.
 */
export type Block =
  | { kind: 'paragraph'; text: string }
  /** Label/value rows: the facts a reader scans for (webinar, time, amount). */
  | { kind: 'facts'; rows: Array<[label: string, value: string]> }
  /** A highlighted quotation of someone else's words: a rejection reason, a problem. */
  | { kind: 'quote'; label: string; text: string }
  /** The one action of the email: a button in HTML, the URL on its own line in text. */
  | { kind: 'button'; label: string; url: string; note?: string };

export interface Layout {
  subject: string;
  firstName: string;
  blocks: Block[];
  /** Without a trailing slash. */
  publicUrl: string;
}

const COLORS = { text: '#1f2933', muted: '#616e7c', accent: '#1a56db', line: '#e4e7eb', page: '#f4f5f7', quote: '#fff8e6' };
const FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

/** Only http(s) links become clickable: a `javascript:` URL in data must never reach an href. */
export function safeHttpUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

const greeting = (firstName: string) => `Hi ${firstName.trim() || 'there'},`;
const footerLinks = (publicUrl: string) => ({ inbox: `${publicUrl}/notifications`, preferences: `${publicUrl}/notifications/preferences` });

export function renderText(layout: Layout): string {
  const parts = [greeting(layout.firstName)];
  for (const block of layout.blocks) {
    switch (block.kind) {
      case 'paragraph':
        parts.push(block.text);
        break;
      case 'facts':
        parts.push(block.rows.map(([label, value]) => `${label}: ${value}`).join('\n'));
        break;
      case 'quote':
        parts.push(`${block.label}:\n${block.text.replace(/^/gm, '  > ')}`);
        break;
      case 'button':
        parts.push([`${block.label}:`, block.url, ...(block.note ? [block.note] : [])].join('\n'));
        break;
    }
  }
  const links = footerLinks(layout.publicUrl);
  parts.push(['-- ', 'EduConnect', `All your notifications: ${links.inbox}`, `Choose which emails you get: ${links.preferences}`].join('\n'));
  return `${parts.join('\n\n')}\n`;
}

/** Escaped, with the author's line breaks kept. */
const html = (text: string) => escapeHtml(text).replace(/\r?\n/g, '<br>');

function blockHtml(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return `<p style="margin:0 0 16px;line-height:1.5">${html(block.text)}</p>`;
    case 'facts': {
      const rows = block.rows
        .map(
          ([label, value]) =>
            `<tr><td style="padding:6px 12px 6px 0;color:${COLORS.muted};vertical-align:top;white-space:nowrap">${html(label)}</td>` +
            `<td style="padding:6px 0;font-weight:600">${html(value)}</td></tr>`,
        )
        .join('');
      return `<table role="presentation" style="border-collapse:collapse;margin:0 0 16px">${rows}</table>`;
    }
    case 'quote':
      return (
        `<div style="margin:0 0 16px;padding:12px 16px;background:${COLORS.quote};border-left:4px solid #f0b429">` +
        `<div style="font-size:13px;color:${COLORS.muted};margin-bottom:4px">${html(block.label)}</div>` +
        `<div style="line-height:1.5">${html(block.text)}</div></div>`
      );
    case 'button': {
      const href = safeHttpUrl(block.url);
      const note = block.note ? `<p style="margin:8px 0 0;font-size:13px;color:${COLORS.muted}">${html(block.note)}</p>` : '';
      if (!href) return `<p style="margin:0 0 16px">${html(block.label)}: ${html(block.url)}</p>${note}`;
      // The URL is also printed under the button, for clients that drop styles or block links.
      return (
        `<div style="margin:8px 0 20px">` +
        `<a href="${escapeHtml(href)}" style="display:inline-block;padding:12px 22px;background:${COLORS.accent};color:#ffffff;` +
        `text-decoration:none;border-radius:6px;font-weight:600">${html(block.label)}</a>` +
        `<p style="margin:10px 0 0;font-size:13px;color:${COLORS.muted};word-break:break-all">` +
        `Or copy this link: <a href="${escapeHtml(href)}" style="color:${COLORS.accent}">${html(block.url)}</a></p>${note}</div>`
      );
    }
  }
}

export function renderHtml(layout: Layout): string {
  const links = footerLinks(layout.publicUrl);
  const link = (href: string, label: string) => `<a href="${escapeHtml(href)}" style="color:${COLORS.accent}">${label}</a>`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">',
    `<title>${html(layout.subject)}</title></head>`,
    `<body style="margin:0;padding:0;background:${COLORS.page};${FONT};color:${COLORS.text}">`,
    `<div style="max-width:560px;margin:0 auto;padding:24px 16px">`,
    `<div style="background:#ffffff;border:1px solid ${COLORS.line};border-radius:8px;padding:28px 24px">`,
    `<h1 style="margin:0 0 20px;font-size:20px;line-height:1.3">${html(layout.subject)}</h1>`,
    `<p style="margin:0 0 16px;line-height:1.5">${html(greeting(layout.firstName))}</p>`,
    ...layout.blocks.map(blockHtml),
    '</div>',
    `<p style="margin:16px 0 0;font-size:12px;line-height:1.5;color:${COLORS.muted};text-align:center">`,
    `EduConnect &middot; ${link(links.inbox, 'All your notifications')} &middot; ${link(links.preferences, 'Choose which emails you get')}</p>`,
    '</div></body></html>',
  ].join('\n');
}
