// kafkajs scenarios against one broker, written against kafkajs's documented API
// (producer, consumer, admin, transactions). One scenario per process:
//
//   node scenarios.mjs <scenario> <bootstrap host:port>
//
// Exits 0 on success; on failure prints "FAIL: <first error line>" on stderr
// and exits 1. NODE_PATH must reach the installed kafkajs (kafkajs/run.sh sets it).
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { randomBytes } from 'node:crypto'

const require = createRequire(import.meta.url)
const { Kafka, logLevel, CompressionTypes } = require('kafkajs')

const [scenario, bootstrap] = process.argv.slice(2)
const kafka = new Kafka({
  clientId: 'samsa-compat-kafkajs',
  brokers: [bootstrap],
  connectionTimeout: 3000,
  requestTimeout: 15000,
  retry: { retries: 4, initialRetryTime: 200, maxRetryTime: 2000 },
  logLevel: logLevel.NOTHING,
})
const uniq = (p) => `js-${p}-${randomBytes(4).toString('hex')}`
const closers = []
const admin = async () => { const a = kafka.admin(); await a.connect(); closers.push(() => a.disconnect()); return a }
const producer = async (opts = {}) => { const p = kafka.producer(opts); await p.connect(); closers.push(() => p.disconnect()); return p }
const consumer = async (opts) => { const c = kafka.consumer(opts); await c.connect(); closers.push(() => c.disconnect()); return c }

async function until(what, ms, cond) {  // polls cond() until true, with a deadline
  const end = Date.now() + ms
  for (;;) {
    if (await cond()) return
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

async function createTopic(a, topic, numPartitions, configEntries = []) {
  const created = await a.createTopics({ topics: [{ topic, numPartitions, replicationFactor: 1, configEntries }], waitForLeaders: true })
  assert.equal(created, true, `createTopics returned ${created}`)
}

async function latestOffsets(a, topic) {  // total records (high - low summed) and per-partition [low, high]
  const offs = await a.fetchTopicOffsets(topic)
  return offs.sort((x, y) => x.partition - y.partition).map((o) => [Number(o.low), Number(o.high)])
}

function messages(n, prefix = 'v') {
  return Array.from({ length: n }, (_, i) => ({
    key: `k${i}`, value: `${prefix}${i}`, headers: { h: `x${i}` },
  }))
}

async function consumeGroup(topic, groupId, n, extra = {}) {  // subscribes, returns the n messages seen
  const c = await consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 1000, ...extra })
  await c.subscribe({ topic, fromBeginning: true })
  const seen = []
  await c.run({ eachMessage: async ({ partition, message }) => {
    seen.push({ partition, offset: Number(message.offset), key: message.key?.toString(), value: message.value?.toString(),
      h: message.headers?.h?.toString() })
  } })
  await until(`${n} messages in group ${groupId}`, 45000, () => seen.length >= n)
  await c.stop()
  return { c, seen }
}

const scenarios = {
  async cluster_metadata() {
    const a = await admin()
    const d = await a.describeCluster()
    assert.deepEqual(d.brokers.map((b) => b.nodeId), [1], `brokers: ${JSON.stringify(d.brokers)}`)
    assert.match(d.clusterId ?? '', /^[A-Za-z0-9_-]{22}$/, `cluster id ${d.clusterId}`)
    assert.equal(d.controller, 1, `controller ${d.controller}`)
  },

  async admin_topics() {
    const a = await admin(); const t = uniq('topics')
    await createTopic(a, t, 3, [{ name: 'retention.ms', value: '3600000' }])
    assert.ok((await a.listTopics()).includes(t), 'listTopics lacks the new topic')
    const md = await a.fetchTopicMetadata({ topics: [t] })
    const parts = md.topics[0].partitions.sort((x, y) => x.partitionId - y.partitionId)
    assert.deepEqual(parts.map((p) => [p.partitionId, p.leader, p.replicas.join(), p.isr.join()]),
      [[0, 1, '1', '1'], [1, 1, '1', '1'], [2, 1, '1', '1']])
    // Documented: createTopics resolves to false when the topic already exists.
    const again = await a.createTopics({ topics: [{ topic: t, numPartitions: 1, replicationFactor: 1 }] })
    assert.equal(again, false, 'createTopics of an existing topic must resolve to false (TOPIC_ALREADY_EXISTS)')
    await a.deleteTopics({ topics: [t], timeout: 10000 })
    await until('deleted topic to leave listTopics', 30000, async () => !(await a.listTopics()).includes(t))
  },

  async admin_configs() {
    const a = await admin(); const t = uniq('configs')
    await createTopic(a, t, 1)
    await a.alterConfigs({ resources: [{ type: 2, name: t, configEntries: [{ name: 'retention.ms', value: '86400000' }] }] })
    const r = await a.describeConfigs({ resources: [{ type: 2, name: t, configNames: ['retention.ms', 'cleanup.policy'] }] })
    const entries = Object.fromEntries(r.resources[0].configEntries.map((e) => [e.configName, e.configValue]))
    assert.equal(entries['retention.ms'], '86400000', `retention.ms: ${entries['retention.ms']}`)
    assert.equal(entries['cleanup.policy'], 'delete', `cleanup.policy: ${entries['cleanup.policy']}`)
  },

  async admin_partitions() {
    const a = await admin(); const t = uniq('parts')
    await createTopic(a, t, 2)
    await a.createPartitions({ topicPartitions: [{ topic: t, count: 4 }] })
    await until('4 partitions in metadata', 15000, async () =>
      (await a.fetchTopicMetadata({ topics: [t] })).topics[0].partitions.length === 4)
  },

  async produce_acks() {
    const a = await admin(); const t = uniq('acks')
    await createTopic(a, t, 1)
    const p = await producer()
    let expect = 0
    for (const acks of [-1, 1]) {
      const res = await p.send({ topic: t, acks, messages: messages(50) })
      assert.equal(res[0].errorCode, 0, `acks=${acks} error ${res[0].errorCode}`)
      assert.equal(Number(res[0].baseOffset), expect, `acks=${acks} baseOffset ${res[0].baseOffset}, expected ${expect}`)
      expect += 50
    }
    await p.send({ topic: t, acks: 0, messages: messages(50) })
    await until('150 records in the log', 15000, async () => (await latestOffsets(a, t))[0][1] === 150)
  },

  async produce_batch_compression() {
    const a = await admin(); const t = uniq('gzip')
    await createTopic(a, t, 3)
    const p = await producer()
    await p.sendBatch({ compression: CompressionTypes.GZIP, acks: -1,
      topicMessages: [{ topic: t, messages: messages(300) }] })
    const offs = await latestOffsets(a, t)
    assert.equal(offs.reduce((s, [lo, hi]) => s + hi - lo, 0), 300, `offsets ${JSON.stringify(offs)}`)
  },

  async produce_idempotent() {
    const a = await admin(); const t = uniq('idem')
    await createTopic(a, t, 1)
    const p = await producer({ idempotent: true, maxInFlightRequests: 1 })
    for (let i = 0; i < 5; i++) await p.send({ topic: t, acks: -1, messages: messages(20) })
    assert.deepEqual(await latestOffsets(a, t), [[0, 100]])
  },

  async offsets_by_timestamp() {
    const a = await admin(); const t = uniq('ts')
    await createTopic(a, t, 1)
    const p = await producer()
    const base = Date.now() - 60000
    await p.send({ topic: t, acks: -1, messages: messages(10).map((m, i) => ({ ...m, timestamp: String(base + i * 1000) })) })
    const r = await a.fetchTopicOffsetsByTimestamp(t, base + 4500)
    assert.equal(Number(r[0].offset), 5, `offset for timestamp base+4.5 s: ${r[0].offset}`)
  },

  async delete_records() {
    const a = await admin(); const t = uniq('delrec')
    await createTopic(a, t, 1)
    const p = await producer()
    await p.send({ topic: t, acks: -1, messages: messages(30) })
    await a.fetchTopicMetadata({ topics: [t] })  // the admin's cache must know the leader first
    await a.deleteTopicRecords({ topic: t, partitions: [{ partition: 0, offset: '12' }] })
    assert.deepEqual(await latestOffsets(a, t), [[12, 30]])
  },

  async group_consume() {
    const a = await admin(); const t = uniq('grp'); const g = uniq('g')
    await createTopic(a, t, 2)
    const p = await producer()
    await p.send({ topic: t, acks: -1, messages: messages(100) })
    const { seen } = await consumeGroup(t, g, 100)
    assert.equal(seen.length, 100)
    for (const part of [0, 1]) {
      const offs = seen.filter((m) => m.partition === part).map((m) => m.offset)
      assert.deepEqual(offs, offs.slice().sort((x, y) => x - y), `partition ${part} out of order`)
    }
    assert.deepEqual(new Set(seen.map((m) => m.value)), new Set(messages(100).map((m) => m.value)))
    assert.ok(seen.every((m) => m.h === `x${m.value.slice(1)}` && m.key === `k${m.value.slice(1)}`), 'keys/headers lost')
    const committed = await a.fetchOffsets({ groupId: g, topics: [t] })
    const sum = committed[0].partitions.reduce((s, x) => s + Number(x.offset), 0)
    assert.equal(sum, 100, `committed offsets sum to ${sum}`)
  },

  async group_rebalance() {
    const a = await admin(); const t = uniq('rebal'); const g = uniq('g')
    await createTopic(a, t, 4)
    const assigned = [new Set(), new Set()]
    const seen = []
    const cs = []
    for (const i of [0, 1]) {
      const c = await consumer({ groupId: g, sessionTimeout: 10000, heartbeatInterval: 500, rebalanceTimeout: 15000 })
      c.on(c.events.GROUP_JOIN, (e) => { assigned[i] = new Set((e.payload.memberAssignment[t] ?? [])) })
      await c.subscribe({ topic: t, fromBeginning: true })
      await c.run({ eachMessage: async ({ message }) => { seen.push(message.value.toString()) } })
      cs.push(c)
    }
    await until('both members to own partitions', 45000, () => assigned[0].size > 0 && assigned[1].size > 0 && assigned[0].size + assigned[1].size === 4)
    const p = await producer()
    await p.send({ topic: t, acks: -1, messages: messages(200) })
    await until('200 messages across the group', 45000, () => seen.length >= 200)
    assert.equal(new Set(seen).size, 200)
    for (const c of cs) await c.stop()
  },

  async admin_groups() {
    const a = await admin(); const t = uniq('adm'); const g = uniq('g')
    await createTopic(a, t, 1)
    const p = await producer()
    await p.send({ topic: t, acks: -1, messages: messages(10) })
    const { c } = await consumeGroup(t, g, 10)
    await c.disconnect()
    const groups = (await a.listGroups()).groups.map((x) => x.groupId)
    assert.ok(groups.includes(g), `listGroups lacks ${g}`)
    const d = await a.describeGroups([g])
    assert.equal(d.groups[0].state, 'Empty', `state ${d.groups[0].state}`)
    await a.setOffsets({ groupId: g, topic: t, partitions: [{ partition: 0, offset: '3' }] })
    const off = await a.fetchOffsets({ groupId: g, topics: [t] })
    assert.equal(Number(off[0].partitions[0].offset), 3, `setOffsets to 3, fetchOffsets says ${off[0].partitions[0].offset}`)
    await a.deleteGroups([g])
    assert.ok(!(await a.listGroups()).groups.map((x) => x.groupId).includes(g), 'group still listed after deleteGroups')
  },

  async transactions() {
    const a = await admin(); const t = uniq('txn')
    await createTopic(a, t, 1)
    const p = await producer({ transactionalId: uniq('tx'), idempotent: true, maxInFlightRequests: 1 })
    const tx1 = await p.transaction()
    await tx1.send({ topic: t, messages: messages(10, 'c') })
    await tx1.commit()
    const tx2 = await p.transaction()
    await tx2.send({ topic: t, messages: messages(10, 'a') })
    await tx2.abort()
    const tx3 = await p.transaction()
    await tx3.send({ topic: t, messages: messages(5, 'd') })
    await tx3.commit()
    const { seen } = await consumeGroup(t, uniq('g'), 15, { readUncommitted: false })
    await new Promise((r) => setTimeout(r, 0))
    const values = seen.map((m) => m.value)
    assert.ok(values.every((v) => !v.startsWith('a')), 'read_committed consumer saw aborted records')
    assert.deepEqual(values, [...messages(10, 'c'), ...messages(5, 'd')].map((m) => m.value))
  },
}

const fn = scenarios[scenario]
if (!fn) { console.error(`FAIL: no scenario ${scenario}`); process.exit(2) }
let code = 0
try {
  await fn()
} catch (e) {
  const type = (e?.type ? ` [${e.type}]` : '') + (e?.apiName ? ` (API ${e.apiName})` : '')
  const inner = e?.errors?.[0] ?? e?.partitions?.find((x) => x.error)?.error ?? e?.cause
  const cause = inner ? ` (${inner.name ?? 'cause'}: ${String(inner.message ?? inner).split('\n')[0]}${inner.type ? ' [' + inner.type + ']' : ''})` : ''
  console.error(`FAIL: ${e?.name ?? 'Error'}: ${String(e?.message ?? e).split('\n')[0]}${type}${cause}`)
  console.error(e?.stack ?? '')
  code = 1
}
for (const close of closers.reverse()) { try { await Promise.race([close(), new Promise((r) => setTimeout(r, 5000))]) } catch {} }
process.exit(code)
