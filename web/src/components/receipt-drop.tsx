import { useEffect, useId, useRef, useState, type DragEvent } from 'react';
import { checkReceiptFile, RECEIPT_ACCEPT, type ReceiptKind } from '../lib/files';
import { formatBytes } from '../lib/format';

export interface ReceiptChoice {
  file: File;
  kind: ReceiptKind;
}

interface Props {
  value: ReceiptChoice | null;
  /** The check's (or the server's) complaint about the file. */
  error: string | null;
  onChange(choice: ReceiptChoice | null, error: string | null): void;
  disabled?: boolean;
}

/** The receipt: dropped on the zone or picked with the file input, checked (type from its bytes, size) before it is accepted. */
export function ReceiptDrop({ value, error, onChange, disabled }: Props) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [checking, setChecking] = useState(false);
  const [preview, setPreview] = useState<{ file: File; url: string } | null>(null);
  const previewRef = useRef(preview);

  // A thumbnail of an image receipt; its object URL is released when replaced or when the form goes.
  function showPreview(file: File | null) {
    if (previewRef.current) URL.revokeObjectURL(previewRef.current.url);
    previewRef.current = file ? { file, url: URL.createObjectURL(file) } : null;
    setPreview(previewRef.current);
  }
  useEffect(
    () => () => {
      if (previewRef.current) URL.revokeObjectURL(previewRef.current.url);
      previewRef.current = null;
    },
    [],
  );

  async function choose(file: File | undefined) {
    if (!file) return;
    setChecking(true);
    const check = await checkReceiptFile(file);
    setChecking(false);
    if (check.ok) {
      showPreview(check.kind === 'pdf' ? null : file);
      onChange({ file, kind: check.kind }, null);
    } else {
      if (input.current) input.current.value = '';
      onChange(null, check.error);
    }
  }

  function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    if (!disabled) void choose(event.dataTransfer.files[0]);
  }

  function clear() {
    if (input.current) input.current.value = '';
    onChange(null, null);
    input.current?.focus();
  }

  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className={`field receipt-field${error ? ' field-invalid' : ''}`}>
      <div
        className={`dropzone${dragging ? ' dropzone-active' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          if (!disabled) setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <label htmlFor={id} className="dropzone-label">
          Receipt
        </label>
        <p id={hintId} className="field-hint">
          Drag the receipt here, or choose it: a photo or scan (JPEG, PNG, WebP) or a PDF, up to 10 MB.
        </p>
        <input
          ref={input}
          id={id}
          type="file"
          accept={RECEIPT_ACCEPT}
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${hintId} ${errorId}` : hintId}
          onChange={(event) => void choose(event.target.files?.[0])}
        />
        {checking && <p className="muted small">Checking the file…</p>}
        {value && (
          <div className="receipt-chosen">
            {preview && preview.file === value.file ? <img src={preview.url} alt="Preview of the chosen receipt" className="receipt-thumb" /> : <span className="receipt-icon" aria-hidden="true">PDF</span>}
            <span>
              <strong>{value.file.name}</strong>
              <span className="muted small"> · {formatBytes(value.file.size)}</span>
            </span>
            <button type="button" className="button link" onClick={clear} disabled={disabled}>
              Remove
            </button>
          </div>
        )}
      </div>
      {error && (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
