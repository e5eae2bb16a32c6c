/**
 * "page 3: 300 of 54,000 licences" on a terminal's stderr, rewritten in place; nothing when stderr
 * is a file or a pipe, so logs and scripts see only what they asked for.
 */
export class ProgressLine {
  private shown = false;

  constructor(private readonly stderr: NodeJS.WritableStream) {}

  private get terminal(): boolean {
    return (this.stderr as { isTTY?: boolean }).isTTY === true;
  }

  update(pages: number, written: number, count: number): void {
    if (!this.terminal || pages < 2) return;
    this.shown = true;
    this.stderr.write(`\r\x1b[Kpage ${pages}: ${written} of ${count} licences`);
  }

  clear(): void {
    if (this.shown) this.stderr.write('\r\x1b[K');
    this.shown = false;
  }
}
