/**
 * The chat's small markdown subset: **bold**, *italic* or _italic_, `code` and links
 * (http/https URLs, bare or as [text](url)). It builds React elements from the text, never
 * HTML strings, so no markup a sender types can reach the DOM; links open in a new tab with
 * rel="noopener noreferrer" and only for http(s) URLs.
 */
import type { ReactNode } from 'react';

type Token =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'bold'; children: Token[] }
  | { kind: 'italic'; children: Token[] }
  | { kind: 'link'; text: string; href: string };

const URL_PATTERN = /^https?:\/\/[^\s<>"')\]]+/i;

export function safeHref(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** Splits `text` into tokens; unmatched markers stay literal text. */
export function tokenize(text: string, depth = 0): Token[] {
  const tokens: Token[] = [];
  let plain = '';
  const flush = () => {
    if (plain) tokens.push({ kind: 'text', text: plain });
    plain = '';
  };
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    if (rest.startsWith('`')) {
      const end = text.indexOf('`', i + 1);
      if (end > i + 1) {
        flush();
        tokens.push({ kind: 'code', text: text.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    }
    if (depth < 3 && rest.startsWith('**')) {
      const end = text.indexOf('**', i + 2);
      if (end > i + 2) {
        flush();
        tokens.push({ kind: 'bold', children: tokenize(text.slice(i + 2, end), depth + 1) });
        i = end + 2;
        continue;
      }
    }
    // Emphasis starts at a word boundary, so snake_case and 2*3*4 stay as typed.
    const atWordStart = i === 0 || /[\s(]/.test(text[i - 1]);
    if (depth < 3 && atWordStart && (rest[0] === '*' || rest[0] === '_') && rest[1] && rest[1] !== ' ') {
      const end = text.indexOf(rest[0], i + 1);
      if (end > i + 1 && text[end - 1] !== ' ') {
        flush();
        tokens.push({ kind: 'italic', children: tokenize(text.slice(i + 1, end), depth + 1) });
        i = end + 1;
        continue;
      }
    }
    if (rest[0] === '[') {
      const match = /^\[([^\]\n]{1,200})\]\((https?:\/\/[^\s)]+)\)/i.exec(rest);
      const href = match ? safeHref(match[2]) : null;
      if (match && href) {
        flush();
        tokens.push({ kind: 'link', text: match[1], href });
        i += match[0].length;
        continue;
      }
    }
    const url = URL_PATTERN.exec(rest);
    if (url && (i === 0 || /\s|\(/.test(text[i - 1]))) {
      const href = safeHref(url[0]);
      if (href) {
        flush();
        tokens.push({ kind: 'link', text: url[0], href });
        i += url[0].length;
        continue;
      }
    }
    plain += text[i];
    i += 1;
  }
  flush();
  return tokens;
}

function render(tokens: Token[], keyPrefix: string): ReactNode[] {
  return tokens.map((token, index) => {
    const key = `${keyPrefix}${index}`;
    switch (token.kind) {
      case 'text':
        return token.text;
      case 'code':
        return <code key={key}>{token.text}</code>;
      case 'bold':
        return <strong key={key}>{render(token.children, `${key}.`)}</strong>;
      case 'italic':
        return <em key={key}>{render(token.children, `${key}.`)}</em>;
      case 'link':
        return (
          <a key={key} href={token.href} target="_blank" rel="noopener noreferrer">
            {token.text}
          </a>
        );
    }
  });
}

/** A chat message's text as React nodes. */
export function ChatText({ text }: { text: string }) {
  return <>{render(tokenize(text), 'm')}</>;
}
