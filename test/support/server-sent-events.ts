// A page following a live stream, as the browser's EventSource would: the statuses of the `view`
// events it was sent, in order, until the stream ends or the page stops.

export interface FollowedStream {
  statuses: string[];
  /** Settles when the server ends the stream (or the page stops). */
  ended: Promise<void>;
  stop: () => Promise<void>;
}

export async function followStream(url: string | URL): Promise<FollowedStream> {
  const statuses: string[] = [];
  const res = await fetch(url);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const ended = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      for (const [, data] of buffer.matchAll(/event: view\ndata: (.*)\n\n/g)) statuses.push(JSON.parse(data!).status);
      buffer = buffer.slice(buffer.lastIndexOf('\n\n') + 2);
    }
  })();
  return { statuses, ended, stop: () => reader.cancel() };
}
