import { useEffect, useRef, useState, useSyncExternalStore, type ChangeEvent } from 'react';
import { strings } from '../../../i18n/strings';
import {
  deleteCustomBackground,
  loadCustomBackground,
  prepareCustomImage,
  saveCustomBackground,
} from '../../../media/effects/customBackground';
import type { EffectProcessor, EffectsState } from '../../../media/effects/effectProcessor';
import { PRESET_BACKGROUNDS, type EffectId } from '../../../media/effects/effects';
import { browserEnvironment, selectBackend } from '../../../media/effects/frameLoop';

/** Whether this browser can run effects at all (insertable streams or canvas capture). */
export function effectsSupported(): boolean {
  return selectBackend(browserEnvironment()) !== 'none';
}

/** The processor's state, re-rendered on every change. */
export function useEffectsState(processor: EffectProcessor): EffectsState {
  return useSyncExternalStore(processor.subscribe, processor.getState);
}

/** The person's own image from IndexedDB, as an object URL for its thumbnail (null when none). */
function useCustomThumbnail(): { url: string | null; refresh: () => void } {
  const [url, setUrl] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let made: string | null = null;
    let cancelled = false;
    loadCustomBackground()
      .then((blob) => {
        if (cancelled) return;
        made = blob ? URL.createObjectURL(blob) : null;
        setUrl(made);
      })
      .catch(() => setUrl(null)); // no IndexedDB (some private modes): no own image
    return () => {
      cancelled = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [version]);
  return { url, refresh: () => setVersion((v) => v + 1) };
}

export interface EffectPickerProps {
  state: EffectsState;
  /** Chooses an effect (applied at once, remembered on this device). */
  onChoose: (effect: EffectId) => void;
  /** A new own image was saved (the processor reads it again). */
  onCustomImageChanged: () => void;
  disabled?: boolean;
}

interface Choice {
  effect: EffectId;
  label: string;
  icon?: string;
  image?: string;
}

const BASE_CHOICES: Choice[] = [
  { effect: 'off', label: strings.effects.off, icon: 'bi-slash-circle' },
  { effect: 'blur-light', label: strings.effects.blurLight, icon: 'bi-droplet-half' },
  { effect: 'blur-strong', label: strings.effects.blurStrong, icon: 'bi-droplet-fill' },
  ...PRESET_BACKGROUNDS.map((p): Choice => ({ effect: `preset:${p.id}`, label: p.label, image: p.thumbnail })),
];

/**
 * The effects as a group of radio buttons with thumbnails: no effect, two blurs, the six presets
 * and the person's own image (uploaded here, kept in this browser only).
 */
export function EffectPicker({ state, onChoose, onCustomImageChanged, disabled = false }: EffectPickerProps) {
  const custom = useCustomThumbnail();
  const fileInput = useRef<HTMLInputElement>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const choices: Choice[] = custom.url
    ? [...BASE_CHOICES, { effect: 'custom', label: strings.effects.custom, image: custom.url }]
    : BASE_CHOICES;

  const upload = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setUploadError(null);
    try {
      await saveCustomBackground(await prepareCustomImage(file));
    } catch {
      setUploadError(strings.effects.uploadFailed);
      return;
    }
    onCustomImageChanged();
    custom.refresh();
    onChoose('custom');
  };

  const removeCustom = async () => {
    await deleteCustomBackground().catch(() => undefined);
    onCustomImageChanged();
    custom.refresh();
    if (state.effect === 'custom') onChoose('off');
  };

  return (
    <div data-testid="effect-picker">
      <div role="radiogroup" aria-label={strings.effects.pickerLabel} className="d-flex flex-wrap gap-2">
        {choices.map((choice) => {
          const checked = state.effect === choice.effect;
          return (
            <button
              key={choice.effect}
              type="button"
              role="radio"
              aria-checked={checked}
              aria-label={choice.label}
              title={choice.label}
              disabled={disabled}
              onClick={() => onChoose(choice.effect)}
              className={`btn p-0 overflow-hidden rounded-3 border ${checked ? 'border-primary border-3' : 'border-secondary-subtle'}`}
              style={{ width: '4.5rem', height: '2.75rem' }}
              data-effect={choice.effect}
            >
              {choice.image ? (
                <img src={choice.image} alt="" className="w-100 h-100" style={{ objectFit: 'cover' }} />
              ) : (
                <i className={`bi ${choice.icon} fs-5`} aria-hidden="true" />
              )}
            </button>
          );
        })}
        <button
          type="button"
          className="btn btn-outline-secondary rounded-3"
          style={{ width: '4.5rem', height: '2.75rem' }}
          aria-label={strings.effects.upload}
          title={strings.effects.upload}
          disabled={disabled}
          onClick={() => fileInput.current?.click()}
        >
          <i className="bi bi-upload" aria-hidden="true" />
        </button>
        <input
          ref={fileInput}
          type="file"
          accept="image/*"
          className="d-none"
          data-testid="effect-upload"
          onChange={(e) => void upload(e)}
        />
      </div>
      <p className="small text-secondary mt-2 mb-0">
        {strings.effects.uploadHelp}{' '}
        {custom.url && (
          <button type="button" className="btn btn-link btn-sm p-0 align-baseline" onClick={() => void removeCustom()} disabled={disabled}>
            {strings.effects.removeCustom}
          </button>
        )}
      </p>
      {state.status === 'starting' && (
        <p className="small text-secondary mt-2 mb-0" role="status">
          <span className="spinner-border spinner-border-sm me-2" aria-hidden="true" />
          {strings.effects.starting}
        </p>
      )}
      {(uploadError ?? state.message) && (
        <div className="alert alert-warning py-2 mt-2 mb-0 small" role="alert" data-testid="effect-message">
          {uploadError ?? state.message}
        </div>
      )}
    </div>
  );
}
