// The cluster: regions with replication lag, members with roles, status and shard counts, the
// manifest version and the event consumer's lag (GET /v1/cluster), refreshed every few seconds.
import { get } from './api.js';
import { date, fmt, h } from './dom.js';

export async function clusterView() {
  const body = h('div#cluster');
  const element = h('section', h('div.toolbar', h('h1', 'Cluster'), h('span.muted#cluster-updated')), body);
  let timer = null;

  async function load() {
    try {
      render(body, await get('/v1/cluster'));
      element.querySelector('#cluster-updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
    } catch (err) {
      body.replaceChildren(h('div.banner.warn#cluster-unavailable',
        `Cluster information is unavailable${err.status ? ` (HTTP ${err.status})` : ''}: ${err.message}`));
    }
  }
  await load();
  timer = setInterval(load, 5000);
  return { element, leave: () => clearInterval(timer) };
}

function render(body, c) {
  const members = c.members || [];
  const kafka = c.kafka || {};
  body.replaceChildren(
    h('div.tiles',
      tile('Region', c.region || '–'),
      tile('Members up', `${members.filter((m) => m.status === 'Up' && m.reachable).length} / ${members.length}`),
      tile('Manifest version', fmt(c.manifestVersion)),
      tile('Consumer lag', kafka.lag === undefined ? '–' : fmt(kafka.lag), kafka.lag > 1000 ? 'warn' : '')),
    h('section.card', h('h2', 'Regions'),
      h('table.grid#regions', h('thead', h('tr', ['Region', 'Replication lag', 'Last seen'].map((t) => h('th', t)))),
        h('tbody', (c.regions || []).map((r) => h('tr', { dataset: { region: r.name } },
          h('td', r.name, r.local ? h('span.badge', 'local') : null),
          h('td', r.local ? '–' : r.replicationLagMs === null || r.replicationLagMs === undefined ? 'unknown' : `${fmt(r.replicationLagMs)} ms`),
          h('td', r.local ? '–' : date(r.lastSeenAt))))))),
    h('section.card', h('h2', 'Members'),
      h('table.grid#members', h('thead', h('tr', ['Address', 'Roles', 'Status', 'Shards', 'Manifest'].map((t) => h('th', t)))),
        h('tbody', members.map((m) => h('tr',
          h('td', m.address, m.self ? h('span.badge', 'this node') : null, m.leader ? h('span.badge', 'leader') : null),
          h('td', (m.roles || []).join(', ')),
          h('td', h(`span.status.${m.reachable === false ? 'killed' : (m.status || '').toLowerCase() === 'up' ? 'running' : 'paused'}`,
            m.reachable === false ? `${m.status} (unreachable)` : m.status)),
          h('td', Object.entries(m.shards || {}).map(([k, v]) => `${k}: ${v}`).join(' · ') || '–'),
          h('td', fmt(m.manifestVersion))))))),
    h('section.card', h('h2', 'Event ingestion'),
      h('p.muted', `topic ${kafka.topic || '–'} · group ${kafka.group || '–'}`),
      h('table.grid#partitions', h('thead', h('tr', ['Partition', 'End offset', 'Committed', 'Lag'].map((t) => h('th', t)))),
        h('tbody', (kafka.partitions || []).map((p) => h('tr',
          h('td', p.partition), h('td', fmt(p.endOffset)), h('td', fmt(p.committed)), h('td', fmt(p.lag))))))));
}

function tile(label, value, cls = '') {
  return h(`div.tile${cls ? '.' + cls : ''}`, h('div.label', label), h('div.value', value));
}
