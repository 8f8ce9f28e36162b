// The contract between input bytes and the engine: a Format sniffs content and makes Decoders;
// a Decoder takes bytes (or lines) and emits normalized events. Decoders never throw on bad
// input: they report a Problem (file and position) and go on.
import type { RatEvent } from '../model/event.ts';

export interface Position {
  line?: number;
  offset?: number;
  /** Free-form position inside a container (EVTX "chunk 3 record 1207"). */
  where?: string;
}

export interface Problem extends Position {
  file: string;
  format: string;
  message: string;
}

export interface DecodeContext {
  /** Input name as the user gave it. */
  file: string;
  /** Reports a skipped or damaged piece of input. Counted and shown; never fatal. */
  problem(message: string, pos: Position): void;
  /** Receives every event the decoder produces, in file order. */
  emit(event: RatEvent): void;
  /** Counts a record the decoder read but that carries nothing the engine uses. */
  ignored(n?: number): void;
  /**
   * One line for the run summary about the input as a whole (not a problem): what was read but
   * not used, and why. Optional: contexts without a summary drop it.
   */
  note?(message: string): void;
}

/** Line-oriented decoders get one call per line (without the line ending). */
export interface LineDecoder {
  readonly mode: 'lines';
  line(text: string, lineNo: number): void;
  /**
   * Optional: offered each UTF-8 line's raw bytes first; true when the decoder has dealt with the
   * line from its bytes alone (counted it as ignored), so it is never decoded to text.
   */
  skip?(bytes: Buffer, start: number, end: number, lineNo: number): boolean;
  end(): void;
}

/** Binary decoders get raw chunks of the file, in order. */
export interface ChunkDecoder {
  readonly mode: 'chunks';
  write(chunk: Buffer): void;
  end(): void;
}

export type Decoder = LineDecoder | ChunkDecoder;

export interface Format {
  /** Stable id used on the command line (`--format sysmon-xml`) and in evidence. */
  id: string;
  description: string;
  /**
   * How sure this format is that `head` (the first bytes of the input, up to 64 KiB) is its own,
   * from 0 (not mine) to 1 (certain). Must be cheap and must not throw.
   */
  sniff(head: Buffer, text: string): number;
  /**
   * For binary formats: whether the first bytes make the format certain. Checked before the head
   * is decoded as text, so a binary file never goes through the text formats' sniffers.
   */
  magic?(head: Buffer): boolean;
  decoder(ctx: DecodeContext): Decoder;
}
