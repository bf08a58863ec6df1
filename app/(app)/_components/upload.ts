// Browser uploads with progress (fetch has no upload progress; XMLHttpRequest does).

export interface UploadResult {
  ok: boolean;
  status: number;
  body: { id?: string; url?: string; error?: { code: string; message: string; field?: string; line?: number; column?: string; file?: string } };
}

export function upload(method: "PUT" | "POST", url: string, body: Blob | FormData, onProgress: (fraction: number) => void): Promise<UploadResult> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let parsed: UploadResult["body"] = {};
      try {
        parsed = JSON.parse(xhr.responseText);
      } catch {
        parsed = { error: { code: "INTERNAL", message: `the server answered ${xhr.status}` } };
      }
      resolve({ ok: xhr.status >= 200 && xhr.status < 300, status: xhr.status, body: parsed });
    };
    xhr.onerror = () => resolve({ ok: false, status: 0, body: { error: { code: "NETWORK", message: "the upload was interrupted (network error)" } } });
    xhr.send(body);
  });
}
