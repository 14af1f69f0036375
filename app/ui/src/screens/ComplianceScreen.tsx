// Supervisor's compliance screen (#/compliance, linked from the dashboard): make-up attendance
// (补卡) with the authority's confirmation, and the data-completeness preview of what the
// platform's yellow light would flag. A saved make-up refreshes the preview.
import { useState } from 'react';
import { CompletenessPanel } from '../components/CompletenessPanel.js';
import { MakeupForm } from '../components/MakeupForm.js';

export function ComplianceScreen() {
  const [saved, setSaved] = useState(0);
  return (
    <div className="compliance" data-testid="compliance">
      <MakeupForm onSaved={() => setSaved((n) => n + 1)} />
      <CompletenessPanel reloadKey={saved} />
    </div>
  );
}
