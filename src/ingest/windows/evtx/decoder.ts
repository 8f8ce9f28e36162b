// The `evtx` input format: native Windows event log files, read by EvtxStream and handed to
// the shared Windows event semantics (events.ts) like every other Windows reader.
import type { ChunkDecoder, DecodeContext, Format } from '../../reader.ts';
import { emitWinRecord, READ_FIELDS } from '../events.ts';
import { FILE_MAGIC, hasMagic } from './header.ts';
import { EvtxStream } from './stream.ts';

function decoder(ctx: DecodeContext): ChunkDecoder {
  const stream = new EvtxStream({
    record(rec, offset) {
      emitWinRecord(
        rec,
        { file: ctx.file, format: 'evtx', offset, record: rec.recordId, eventId: String(rec.eventId) },
        ctx,
      );
    },
    problem(message, pos) {
      ctx.problem(message, pos);
    },
    fields: READ_FIELDS,
  });
  return {
    mode: 'chunks',
    write(chunk) {
      stream.write(chunk);
    },
    end() {
      stream.end();
    },
  };
}

export const evtx: Format = {
  id: 'evtx',
  description: 'Windows EVTX event log files (native binary XML), read natively',
  sniff(head) {
    return hasMagic(head, 0, FILE_MAGIC) ? 1 : 0;
  },
  magic(head) {
    return hasMagic(head, 0, FILE_MAGIC);
  },
  decoder,
};
