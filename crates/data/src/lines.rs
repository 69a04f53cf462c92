//! Line numbers of CSV records, counted while the bytes stream past.
//!
//! The csv reader's own line count leaves out the blank lines it skips, and a record's
//! position is where the reader started looking for it, before those blank lines. So the
//! 1-based line of a record starting at byte `offset` is the line of the first byte at or
//! after `offset` that is not a line ending; a line ends at `\n`, `\r\n` or a lone `\r`, as
//! for the csv reader.
//!
//! [`LineCounter`] wraps the reader the csv reader reads from. It keeps only the bytes from
//! the last asked-for record to what the csv reader has read ahead (its buffer plus one
//! record), not the whole file, so a 10-million-row file is never held in memory.
//!
//! It also holds the reads to the limits of one place, [`MAX_FILE_BYTES`] in all and
//! [`MAX_RECORD_BYTES`] for one record, so an endless input (`/dev/zero`) or one endless line
//! stops with an error after a bounded read instead of filling memory.

use std::io::{self, Read};

/// The largest data file read, in bytes (1 GiB): far above the 10 million rows of
/// [`MAX_GENERATED_ROWS`](crate::MAX_GENERATED_ROWS) at a few columns.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// The longest CSV record (one row, the header included), in bytes (16 MiB): a million
/// columns of 16 characters.
pub const MAX_RECORD_BYTES: u64 = 1 << 24;

/// Which of the read limits an input passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exceeded {
    File,
    Record,
}

/// A reader that counts the lines of what passes through it (see the module docs).
pub(crate) struct LineCounter<R> {
    inner: R,
    /// Bytes read so far, of which those from `window[pos]` on are still needed.
    window: Vec<u8>,
    /// Where the needed bytes start in `window`; the bytes before are dropped in bulk, not
    /// per record, so each byte is moved a bounded number of times.
    pos: usize,
    /// The offset of `window[pos]` in the whole input.
    offset: u64,
    /// The line holding byte `offset`: line starts at or before it.
    line: u64,
    /// The limits in force (the constants above; tests pass small ones).
    max_file: u64,
    max_record: u64,
    /// The limit a read passed, after which every read fails.
    exceeded: Option<Exceeded>,
}

impl<R: Read> LineCounter<R> {
    pub(crate) fn new(inner: R) -> LineCounter<R> {
        LineCounter::with_limits(inner, MAX_FILE_BYTES, MAX_RECORD_BYTES)
    }

    /// A counter that fails a read past `max_file` bytes in all, or past `max_record` bytes
    /// since the start of the last asked-for record.
    pub(crate) fn with_limits(inner: R, max_file: u64, max_record: u64) -> LineCounter<R> {
        LineCounter {
            inner,
            window: Vec::new(),
            pos: 0,
            offset: 0,
            line: 1,
            max_file,
            max_record,
            exceeded: None,
        }
    }

    /// The limit a read passed, if one did: the csv reader's I/O error then means this.
    pub(crate) fn exceeded(&self) -> Option<Exceeded> {
        self.exceeded
    }

    /// The line the unfinished record starts on (where a too long record began).
    pub(crate) fn current_line(&self) -> u64 {
        self.line
    }

    /// The line of the record the csv reader started looking for at `offset` (see the module
    /// docs). Offsets must not decrease from one call to the next (records come in file
    /// order); the bytes before the last answer are forgotten, so an earlier offset gets
    /// the last answer's line.
    pub(crate) fn record_line(&mut self, offset: u64) -> u64 {
        let ahead = usize::try_from(offset.saturating_sub(self.offset)).unwrap_or(usize::MAX);
        let start = self.pos.saturating_add(ahead).min(self.window.len());
        let blank = self.window[start..]
            .iter()
            .take_while(|&&b| b == b'\n' || b == b'\r')
            .count();
        let target = start + blank;
        // Every line ending before `target` starts a line at or before it.
        for k in self.pos..target {
            let b = self.window[k];
            let next = self.window.get(k + 1).copied();
            // A `\r` whose next byte has not been read yet is taken as a lone `\r` at the
            // end of the input: the csv reader hands out a record only after reading past it.
            if b == b'\n' || (b == b'\r' && next != Some(b'\n')) {
                self.line += 1;
            }
        }
        self.offset += (target - self.pos) as u64;
        self.pos = target;
        if self.pos > self.window.len() / 2 {
            self.window.drain(..self.pos);
            self.pos = 0;
        }
        self.line
    }
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.exceeded.is_none() {
            let pending = (self.window.len() - self.pos) as u64;
            if self.offset + pending > self.max_file {
                self.exceeded = Some(Exceeded::File);
            } else if pending > self.max_record {
                self.exceeded = Some(Exceeded::Record);
            }
        }
        if self.exceeded.is_some() {
            return Err(io::Error::other("a read limit was passed"));
        }
        let n = self.inner.read(buf)?;
        self.window.extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::{Exceeded, LineCounter};
    use std::io::Read;

    /// A counter that has read all of `bytes`.
    fn counter(bytes: &[u8]) -> LineCounter<&[u8]> {
        let mut c = LineCounter::new(bytes);
        let mut sink = Vec::new();
        c.read_to_end(&mut sink).unwrap();
        assert_eq!(sink, bytes);
        c
    }

    #[test]
    fn every_line_ending_counts() {
        // Lines start at bytes 0, 2 ("b"), 5 ("c" after \r\n), 7 ("d" after a lone \r); a
        // search starting on a line ending (bytes 1, 3, 4, 6) finds the next line.
        let lines: Vec<u64> = (0..9)
            .map(|k| counter(b"a\nb\r\nc\rd").record_line(k))
            .collect();
        assert_eq!(lines, vec![1, 2, 2, 3, 3, 3, 4, 4, 4]);
        // The same offsets asked one after the other on one counter.
        let mut c = counter(b"a\nb\r\nc\rd");
        let lines: Vec<u64> = [0, 2, 5, 7].iter().map(|&k| c.record_line(k)).collect();
        assert_eq!(lines, vec![1, 2, 3, 4]);
    }

    #[test]
    fn blank_lines_before_a_record_are_passed_over() {
        // A search starting at the end of line 1 finds the record on line 4 past two blanks.
        assert_eq!(counter(b"a\n\n\r\nd").record_line(1), 4);
        assert_eq!(counter(b"a\n\n\r\nd").record_line(0), 1);
        // Between the \r and the \n of a CRLF ending: the next line.
        assert_eq!(counter(b"a\r\nb").record_line(2), 2);
    }

    // Issue 17: `--data /dev/zero` read the whole endless file. The limits here are small
    // stand-ins for MAX_FILE_BYTES and MAX_RECORD_BYTES; the reader's buffer is 4 bytes, so
    // the read that passes a limit is the one after 12 (record) or 8 + 4 (file) bytes.
    #[test]
    fn reads_stop_at_the_limits() {
        let mut buf = [0u8; 4];
        let endless = std::io::repeat(0);
        let mut c = LineCounter::with_limits(endless, u64::MAX, 10);
        let mut reads = 0;
        while c.read(&mut buf).is_ok() {
            reads += 1;
        }
        // 3 reads of 4 bytes (12 > 10 pending), then the refusal.
        assert_eq!((reads, c.exceeded()), (3, Some(Exceeded::Record)));
        // Many short records: none too long, but the file is.
        let rows = b"1\n".repeat(100);
        let mut c = LineCounter::with_limits(&rows[..], 9, 1000);
        let mut total = 0;
        while let Ok(n) = c.read(&mut buf) {
            total += n;
            c.record_line(total as u64);
        }
        assert_eq!((total, c.exceeded()), (12, Some(Exceeded::File)));
    }

    #[test]
    fn the_window_keeps_only_unasked_bytes() {
        let text = b"h\n1\n2\n3\n";
        let mut c = counter(text);
        assert_eq!(c.record_line(6), 4);
        assert_eq!(&c.window[c.pos..], b"3\n");
        // An offset before the last answer gets the last answer's line.
        assert_eq!(c.record_line(2), 4);
    }
}
