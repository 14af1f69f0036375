// A plain SVG bar chart (stacked pass/refuse per hour) readable from a metre away.
export function HourlyChart({
  data,
  label,
}: {
  data: Array<{ hour: number; pass: number; refuse: number }>;
  label: string;
}) {
  const max = Math.max(1, ...data.map((d) => d.pass + d.refuse));
  const W = 1400;
  const H = 220;
  const pad = 28;
  const bw = (W - pad * 2) / data.length;
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${W} ${H + 30}`}
      role="img"
      aria-label={label}
      data-testid="hourly-chart"
    >
      <line x1={pad} y1={H} x2={W - pad} y2={H} className="axis" />
      {data.map((d, i) => {
        const hp = ((H - 20) * d.pass) / max;
        const hr = ((H - 20) * d.refuse) / max;
        const x = pad + i * bw + 3;
        return (
          <g key={d.hour} data-hour={d.hour} data-count={d.pass + d.refuse}>
            <rect x={x} y={H - hp} width={bw - 6} height={hp} className="bar-pass" />
            <rect x={x} y={H - hp - hr} width={bw - 6} height={hr} className="bar-refuse" />
            {d.pass + d.refuse > 0 && (
              <text x={x + (bw - 6) / 2} y={H - hp - hr - 4} textAnchor="middle" className="bar-label">
                {d.pass + d.refuse}
              </text>
            )}
            {i % 2 === 0 && (
              <text x={x + (bw - 6) / 2} y={H + 22} textAnchor="middle" className="tick">
                {d.hour}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}

export function LineChart({
  points,
  label,
}: {
  points: Array<{ at: number; value: number }>;
  label: string;
}) {
  const W = 1400;
  const H = 200;
  if (points.length < 2) return <p className="empty">{label}: —</p>;
  const t0 = points[0]?.at ?? 0;
  const t1 = points[points.length - 1]?.at ?? 1;
  const max = Math.max(1, ...points.map((p) => p.value));
  const xy = points.map(
    (p) =>
      `${(20 + ((W - 40) * (p.at - t0)) / Math.max(1, t1 - t0)).toFixed(1)},${(H - 10 - ((H - 30) * p.value) / max).toFixed(1)}`,
  );
  return (
    <svg className="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
      <polyline points={xy.join(' ')} className="line" />
      <text x={24} y={18} className="tick">
        {max}
      </text>
    </svg>
  );
}
