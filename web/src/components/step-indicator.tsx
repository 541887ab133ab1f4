import type { Step } from '../lib/steps';

const STATE_TEXT = { done: 'done', current: 'in progress', todo: 'not yet' } as const;

/** paid → enrolled → registered → approved, as an ordered list a screen reader reads step by step. */
export function StepIndicator({ steps, label }: { steps: Step[]; label: string }) {
  return (
    <ol className="steps" aria-label={label}>
      {steps.map((step, i) => (
        <li key={step.label} className={`step step-${step.state}`} aria-current={step.state === 'current' ? 'step' : undefined}>
          <span className="step-dot" aria-hidden="true">
            {step.state === 'done' ? '✓' : i + 1}
          </span>
          <span className="step-label">
            {step.label}
            <span className="visually-hidden"> ({STATE_TEXT[step.state]})</span>
          </span>
        </li>
      ))}
    </ol>
  );
}
