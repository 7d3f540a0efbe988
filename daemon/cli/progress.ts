/**
 * Progress on a terminal: one line on stderr, rewritten in place as a long command moves from stage
 * to stage (reading, planning, rendering), and cleared before the result is printed. Nothing at all
 * when stderr is not a terminal, so pipes and CI logs stay quiet. Plain `\r` and spaces, no escape
 * codes: it is the same with NO_COLOR.
 */
export interface Progress {
  stage(text: string): void;
  done(): void;
}

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { stage: () => {}, done: () => {} };
  let shown = 0;
  const clear = () => {
    if (shown) stream.write(`\r${' '.repeat(shown)}\r`);
    shown = 0;
  };
  return {
    stage(text) {
      const line = text.slice(0, Math.max(20, (stream.columns || 80) - 1));
      clear();
      stream.write(line);
      shown = line.length;
    },
    done: clear,
  };
}
