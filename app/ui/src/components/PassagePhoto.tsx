// The photo of a passage (a refusal's face, a pass's capture) as a small thumbnail, fetched with
// the session (the route needs a supervisor from another PC) and released when it leaves.
import { useEffect, useState } from 'react';
import { siteApi } from '../api/site.js';
import { useI18n } from '../i18n/i18n.js';

export function PassagePhoto({ eventId }: { eventId: string }) {
  const { t } = useI18n();
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    let made: string | null = null;
    void siteApi.passagePhotoUrl(eventId).then((u) => {
      made = u;
      if (alive) setUrl(u);
      else if (u) URL.revokeObjectURL(u);
    });
    return () => {
      alive = false;
      if (made) URL.revokeObjectURL(made);
    };
  }, [eventId]);
  return url ? <img className="thumb" src={url} alt={t('dash.photo')} data-testid="recent-photo" /> : null;
}
