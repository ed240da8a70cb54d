// PLACEHOLDER written by hand (helper h2, web) with the exact shape of interface 1 in the
// brief; `npm run generate` (helper h1) writes the real file from functions/domain/steps/ and
// config/, and replaces this one at merge. Do not edit by hand once that lands.
export const LANGUAGES = ['zh-CN', 'en'];
export const CHANNELS = ['web', 'phone', 'email', 'chat', 'social', 'app', 'letter', 'walk_in', 'regulator'];
export const PUBLIC_CHANNELS = ['web', 'app'];
export const CATEGORIES = ['service', 'product', 'delivery', 'price', 'other'];
export const SEVERITIES = ['minor', 'general', 'serious'];
export const STAGES = [
  'received',
  'investigation',
  'proposal',
  'review',
  'customer_decision',
  'implementation',
  'follow_up',
  'closed',
];
export const OUTCOMES = ['resolved', 'rejected', 'no_response'];
export const ROLES = ['agent', 'department', 'supervisor', 'manager', 'analyst'];
export const DEPARTMENTS = [
  { id: 'customer-service', name: { 'zh-CN': '客户服务部', en: 'Customer Service' } },
  { id: 'sales', name: { 'zh-CN': '销售部', en: 'Sales' } },
  { id: 'after-sales', name: { 'zh-CN': '售后服务部', en: 'After-Sales Service' } },
  { id: 'logistics', name: { 'zh-CN': '物流部', en: 'Logistics' } },
  { id: 'quality', name: { 'zh-CN': '质量管理部', en: 'Quality' } },
  { id: 'billing', name: { 'zh-CN': '财务结算部', en: 'Billing' } },
];
export const STEPS = [
  {
    step: 'investigation',
    stage: 'investigation',
    action: 'investigation',
    roles: ['agent', 'supervisor', 'manager'],
    ownDepartment: false,
    customerActs: false,
    fields: [
      { name: 'valid', kind: 'boolean', required: true },
      { name: 'category', kind: 'choice', options: 'CATEGORIES', required: true },
      { name: 'severity', kind: 'choice', options: 'SEVERITIES', required: true },
      { name: 'department', kind: 'choice', options: 'DEPARTMENTS', required: false },
      { name: 'findings', kind: 'text', required: true, maxLength: 10000 },
      { name: 'opinion', kind: 'text', required: false, maxLength: 2000 },
    ],
    label: { 'zh-CN': '调查核实', en: 'Investigation' },
  },
  {
    step: 'proposal',
    stage: 'proposal',
    action: 'proposal',
    roles: ['department', 'supervisor', 'manager'],
    ownDepartment: true,
    customerActs: false,
    fields: [{ name: 'plan', kind: 'text', required: true, maxLength: 10000 }],
    label: { 'zh-CN': '制定方案', en: 'Proposal' },
  },
  {
    step: 'review',
    stage: 'review',
    action: 'review',
    roles: ['supervisor', 'manager'],
    ownDepartment: false,
    customerActs: false,
    fields: [
      { name: 'approved', kind: 'boolean', required: true },
      { name: 'comment', kind: 'text', required: false, maxLength: 2000 },
    ],
    label: { 'zh-CN': '主管审核', en: 'Supervisor review' },
  },
  {
    step: 'customer_decision',
    stage: 'customer_decision',
    action: 'decision',
    roles: ['agent', 'manager'],
    ownDepartment: false,
    customerActs: true,
    fields: [
      { name: 'accept', kind: 'boolean', required: true },
      { name: 'comment', kind: 'text', required: false, maxLength: 2000 },
    ],
    label: { 'zh-CN': '客户确认', en: 'Customer decision' },
  },
  {
    step: 'implementation',
    stage: 'implementation',
    action: 'implementation',
    roles: ['department', 'supervisor', 'manager'],
    ownDepartment: true,
    customerActs: false,
    fields: [
      { name: 'result', kind: 'text', required: true, maxLength: 10000 },
      { name: 'basis', kind: 'text', required: true, maxLength: 10000 },
      { name: 'suggestions', kind: 'text', required: false, maxLength: 10000 },
    ],
    label: { 'zh-CN': '方案落实', en: 'Implementation' },
  },
  {
    step: 'follow_up',
    stage: 'follow_up',
    action: 'survey',
    roles: ['agent', 'manager'],
    ownDepartment: false,
    customerActs: true,
    fields: [
      { name: 'rating', kind: 'rating', required: true, min: 1, max: 5 },
      { name: 'comment', kind: 'text', required: false, maxLength: 2000 },
    ],
    label: { 'zh-CN': '客户评价', en: 'Customer survey' },
  },
  {
    step: 'agent_follow_up',
    stage: 'follow_up',
    action: 'survey',
    roles: ['agent', 'manager'],
    ownDepartment: false,
    customerActs: false,
    fields: [
      { name: 'rating', kind: 'rating', required: true, min: 1, max: 5 },
      { name: 'comment', kind: 'text', required: false, maxLength: 2000 },
    ],
    label: { 'zh-CN': '电话回访', en: 'Follow-up call' },
  },
];
