import { useEffect, useState } from 'react';
import { EffectProcessor, type EffectsState } from '../../../media/effects/effectProcessor';
import type { EffectId } from '../../../media/effects/effects';
import { effectsSupported } from './EffectPicker';

export interface PreviewEffect {
  /** What the preview shows: the processed camera while an effect runs, else the camera itself. */
  shown: MediaStreamTrack | null;
  /** Null where the browser cannot run effects. */
  processor: EffectProcessor | null;
  choose: (effect: EffectId) => void;
}

const idleState: EffectsState = { effect: 'off', status: 'off', message: null };
export { idleState as idleEffectsState };

/**
 * The chosen effect on the pre-join screen's camera preview. The camera track itself is untouched
 * (it is handed to the room, whose own pipeline applies the same, remembered, effect); the
 * preview's pipeline stops when the screen goes away.
 */
export function usePreviewEffect(track: MediaStreamTrack | null): PreviewEffect {
  const [processor] = useState(() => (effectsSupported() ? new EffectProcessor() : null));
  const [processed, setProcessed] = useState<{ from: MediaStreamTrack; shown: MediaStreamTrack } | null>(null);

  useEffect(() => {
    if (!processor) return undefined;
    if (!track) {
      void processor.release();
      return undefined;
    }
    let current = true;
    void processor.process(track).then((shown) => {
      if (!current) return;
      setProcessed({ from: track, shown });
      processor.commit();
    });
    return () => {
      current = false;
    };
  }, [processor, track]);

  useEffect(() => () => void processor?.release(), [processor]);

  const choose = (effect: EffectId) => {
    if (!processor) return;
    void processor.choose(effect).then((shown) => {
      if (shown && track) setProcessed({ from: track, shown });
      processor.commit();
    });
  };

  // Until the pipeline answers for this track, the camera itself.
  const shown = track && processed?.from === track ? processed.shown : track;
  return { shown, processor, choose };
}
