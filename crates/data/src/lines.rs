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

use std::io::{self, Read};

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
}

impl<R: Read> LineCounter<R> {
    pub(crate) fn new(inner: R) -> LineCounter<R> {
        LineCounter {
            inner,
            window: Vec::new(),
            pos: 0,
            offset: 0,
            line: 1,
        }
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
        let n = self.inner.read(buf)?;
        self.window.extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::LineCounter;
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
