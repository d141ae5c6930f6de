package output

// begin starts a file opened WithOverwrite at its first Write or Close:
// it empties a regular file and writes the format's header. It returns
// (and remembers) the error that makes the Writer refuse every record, or
// w.err when there is one already. The caller holds w.mu.
func (w *Writer) begin() error {
	if !w.pending || w.err != nil {
		return w.err
	}
	w.pending = false
	if w.regular {
		if err := w.file.Truncate(0); err != nil {
			w.err = errorf(w.name, "empty the file: %w", err)
			return w.err
		}
	}
	if err := w.start(); err != nil {
		w.err = err
	}
	return w.err
}

// Abort closes a Writer for a run that will write nothing after all (one
// refused or failed after Open). A file opened WithOverwrite that no Write
// started is closed as it is: an existing file keeps its content byte for
// byte, a file Open created stays empty (the caller may remove it). Any
// other Writer is closed as by Close, and Abort returns Close's error.
// Write after Abort returns ErrClosed; Close or Abort again returns nil.
func (w *Writer) Abort() error {
	w.mu.Lock()
	pending := w.pending && !w.closed
	if pending {
		w.closed = true
	}
	w.mu.Unlock()
	if !pending {
		return w.Close()
	}
	if err := w.file.Close(); err != nil {
		return errorf(w.name, "close: %w", err)
	}
	return nil
}
