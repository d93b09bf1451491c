import { strings } from '../../../i18n/strings';
import type { EffectProcessor } from '../../../media/effects/effectProcessor';
import type { EffectId } from '../../../media/effects/effects';
import { EffectPicker, useEffectsState } from './EffectPicker';

/** The effect picker under the pre-join preview; the choice shows in the preview at once. */
export function PreJoinEffects({
  processor,
  onChoose,
  disabled,
}: {
  processor: EffectProcessor;
  onChoose: (effect: EffectId) => void;
  disabled: boolean;
}) {
  const state = useEffectsState(processor);
  return (
    <fieldset className="mt-3" disabled={disabled}>
      <legend className="form-label small text-secondary mb-1 fs-6">
        <i className="bi bi-person-bounding-box me-1" aria-hidden="true" />
        {strings.effects.title}
      </legend>
      <EffectPicker state={state} onChoose={onChoose} onCustomImageChanged={() => processor.customImageChanged()} disabled={disabled} />
    </fieldset>
  );
}
