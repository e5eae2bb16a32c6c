import { randomBytes } from 'node:crypto';

/** A `multipart/form-data` body with one file part, as text: the CSV is text, so no bytes lost. */
export function multipartFile(
  field: string,
  fileName: string,
  contentType: string,
  content: string,
): { readonly contentType: string; readonly body: string } {
  const boundary = `----lem-${randomBytes(12).toString('hex')}`;
  const safeName = fileName.replace(/["\r\n\\]/g, '_');
  const body =
    `--${boundary}\r\n` +
    `Content-Disposition: form-data; name="${field}"; filename="${safeName}"\r\n` +
    `Content-Type: ${contentType}\r\n\r\n` +
    `${content}\r\n--${boundary}--\r\n`;
  return { contentType: `multipart/form-data; boundary=${boundary}`, body };
}
