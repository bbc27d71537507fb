// Text that is safe inside HTML, for the few pages and emails the server writes itself.
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
