// Files for the person to keep: a Blob saved through a temporary
// <a download>, and the server's download door for streaming RPCs
// (POST /download/smptrace.v1.<Service>/<Method>, the request as JSON).

import { toJson, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { noteServerContact } from "./activity";

/** Saves `blob` as `filename` (the browser's download). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Calls a streaming RPC through the download door and returns the file's
 * bytes. Throws an Error with the server's message when refused.
 */
export async function downloadRpc<T extends DescMessage>(
  method: string,
  schema: T,
  request: MessageShape<T>,
): Promise<Blob> {
  const res = await fetch(`/download/${method}`, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "Connect-Protocol-Version": "1" },
    body: JSON.stringify(toJson(schema, request)),
  });
  if (!res.ok) {
    const text = await res.text();
    let message = text.trim() || `${res.status} ${res.statusText}`;
    try {
      const json = JSON.parse(text) as { message?: unknown };
      if (typeof json.message === "string") message = json.message;
    } catch {
      // Plain text.
    }
    throw new Error(message);
  }
  noteServerContact();
  return res.blob();
}
