/**
 * Texts of the pages in Simplified Chinese (default) and English. Elements with
 * `data-i18n="key"` get their text, `data-i18n-placeholder` / `data-i18n-aria-label`
 * their attribute.
 */
import { config } from './config.js';

const zh = {
  'app.name': '投诉服务',
  'lang.switch': 'English',
  'lang.switchLabel': 'Switch to English',
  'common.required': '必填',
  'common.optional': '选填',
  'common.loading': '正在加载…',
  'common.retry': '重试',
  'common.submit': '提交',
  'common.cancel': '取消',
  'common.yes': '是',
  'common.no': '否',
  'common.none': '—',
  'common.networkError': '无法连接服务，请检查网络后重试。',
  'common.serverError': '服务暂时不可用，请稍后重试。',
  'common.fixErrors': '请修改标出的内容后再提交。',
  'common.conflict': '这一步已由他人处理或已升级，请刷新后查看最新状态。',
  'common.tooMany': '请求过于频繁，请稍等片刻再试。',
  'conflict.wrong_stage': '投诉当前不在这一步，无法提交。',
  'conflict.step_taken': '他人正在处理这一步，请稍后刷新。',
  'conflict.step_stale': '这一步已超时升级或已由他人处理，请刷新后查看最新状态。',
  'conflict.idempotency_key_reused': '这次提交与之前的一次提交冲突，请刷新后重试。',

  'form.title': '提交投诉',
  'form.intro': '请告诉我们发生了什么。我们会在收到后发送确认邮件，并在承诺日期前答复您。',
  'form.you': '您的联系方式',
  'form.name': '姓名',
  'form.email': '电子邮箱',
  'form.phone': '手机号码',
  'form.contactHint': '邮箱和手机至少填写一项。状态通知将发送到邮箱。',
  'form.organization': '单位名称',
  'form.language': '通知语言',
  'form.complaint': '投诉内容',
  'form.subject': '标题',
  'form.description': '详细描述',
  'form.descriptionHint': '发生了什么、何时何地、涉及的人员或商品、您希望的处理方式。',
  'form.category': '类别',
  'form.categoryAny': '不确定',
  'form.orderRef': '订单号',
  'form.occurredAt': '发生时间',
  'form.send': '提交投诉',
  'form.sending': '正在提交…',
  'form.doneTitle': '投诉已受理',
  'form.doneRef': '受理编号',
  'form.doneDue': '我们承诺在此日期前答复您：',
  'form.doneMail': '确认邮件已发送，其中有查看进度的专属链接。',
  'form.doneLink': '查看处理进度',
  'form.doneKeep': '请妥善保管此链接，凭它可查看投诉进度。',
  'form.another': '再提交一项投诉',

  'status.title': '投诉进度',
  'status.ref': '受理编号',
  'status.stage': '当前阶段',
  'status.outcome': '处理结果',
  'status.received': '受理时间',
  'status.replyDue': '承诺答复日期',
  'status.closedAt': '结案时间',
  'status.timeline': '处理记录',
  'status.noLink': '此链接不完整。请使用邮件中的链接打开本页面。',
  'status.notFound': '未找到这项投诉，或链接已失效。请使用最新邮件中的链接。',
  'status.proposal': '处理方案',
  'status.proposalIntro': '请查看以下方案，并告诉我们您是否接受。',
  'status.accept': '接受方案',
  'status.decline': '不接受',
  'status.declineReason': '不接受的原因',
  'status.declineReasonHint': '请说明原因，我们会据此重新制定方案。',
  'status.comment': '补充说明',
  'status.decisionThanks': '已收到您的决定，感谢！',
  'status.survey': '满意度评价',
  'status.surveyIntro': '您对本次投诉的处理满意吗？',
  'status.rating': '评分',
  'status.ratingHint': '1 = 非常不满意，5 = 非常满意',
  'status.surveyComment': '意见与建议',
  'status.surveySend': '提交评价',
  'status.surveyThanks': '感谢您的评价！',
  'status.provisional': '（暂定）',

  'timeline.received': '投诉已受理',
  'timeline.acknowledged': '已发送受理确认邮件',
  'timeline.investigated': '调查核实完成',
  'timeline.rejected': '经调查，投诉不成立',
  'timeline.proposal_ready': '处理方案已提出，等待您确认',
  'timeline.proposal_accepted': '您已接受处理方案',
  'timeline.proposal_declined': '您未接受处理方案，我们将重新制定',
  'timeline.reminder_sent': '已发送提醒',
  'timeline.implemented': '处理方案已落实',
  'timeline.result_sent': '已发送处理结果',
  'timeline.feedback_received': '已收到您的评价',
  'timeline.reopened': '重新处理',
  'timeline.closed': '已结案',
  'status.open': '处理中',
  'status.result': '处理结果',
  'status.basis': '处理依据',
  'status.suggestions': '后续建议',
  'status.yourRating': '您的评分',
  'status.respondBy': '请在此日期前答复：',
  'console.title': '投诉处理工作台',
  'console.signIn': '登录',
  'console.signOut': '退出',
  'console.signInIntro': '本地环境：选择角色（及部门）即可登录。',
  'console.signInCognito': '使用公司账号登录',
  'console.signInFailed': '登录未完成，请重试。',
  'console.signInCancelled': '登录已取消。',
  'console.signInNotConfigured': '公司账号登录尚未配置（web/config.js 中的 cognito）。',
  'console.signInNoRole': '您的账号没有员工角色，请联系管理员将您加入一个角色组。',
  'console.role': '角色',
  'console.department': '部门',
  'console.departmentAny': '（不限）',
  'console.yourName': '显示名称',
  'console.queues': '工作队列',
  'console.overdue': '已逾期',
  'console.escalatedTo': '已升级',
  'console.overdueOnly': '只看逾期',
  'console.due': '期限',
  'console.when': '时间',
  'console.empty': '此队列中没有投诉。',
  'console.selectHint': '从左侧队列选择一项投诉查看详情。',
  'console.record': '投诉档案',
  'console.customer': '客户',
  'console.contact': '联系方式',
  'console.channel': '渠道',
  'console.category': '类别',
  'console.severity': '严重程度',
  'console.description': '描述',
  'console.orderRef': '订单号',
  'console.escalation': '升级级别',
  'console.waitingFor': '等待',
  'console.investigation': '调查结论',
  'console.findings': '调查情况',
  'console.opinion': '告知客户的意见',
  'console.valid': '投诉成立',
  'console.proposal': '处理方案',
  'console.round': '轮次',
  'console.implementation': '落实情况',
  'console.survey': '满意度',
  'console.history': '历史记录',
  'console.action': '处理',
  'console.notYours': '当前步骤需由其他角色处理。',
  'console.noAction': '当前没有待处理的步骤。',
  'console.sent': '已提交，流程正在推进…',
  'console.register': '登记投诉',
  'console.registerIntro': '登记来自电话、邮件、在线客服等渠道的投诉。',
  'console.registered': '已登记，受理编号：',
  'console.reports': '统计分析',
  'console.from': '从',
  'console.to': '到',
  'console.load': '查询',
  'console.clock': '模拟时间',
  'console.needsAttention': '需人工处理',
  'console.repeat': '重复投诉',
  'console.refresh': '刷新',
  'console.analystOnly': '分析员只能查看统计报表。',

  'report.overall': '总体',
  'report.byCategory': '按类别',
  'report.bySeverity': '按严重程度',
  'report.byChannel': '按渠道',
  'report.byDepartment': '按部门',
  'report.complaints': '投诉量',
  'report.open': '处理中',
  'report.closed': '已结案',
  'report.timely': '及时答复率',
  'report.onTime': '按时办结率',
  'report.satisfaction': '满意率 · 平均分',
  'report.firstContact': '一次解决率',
  'report.repeat': '重复投诉率',
  'report.firstResponse': '首次响应（平均 · p90）',
  'report.escalation': '升级率',
  'report.rejected': '不成立率',
  'action.investigation': '提交调查结论',
  'action.valid': '投诉是否成立',
  'action.findings': '调查情况（仅内部可见）',
  'action.opinion': '给客户的核实意见',
  'action.opinionHint': '投诉不成立时，将通过邮件发送给客户；调查情况不会发给客户。',
  'action.opinionRequired': '投诉不成立时必填：请写明告知客户的意见。',
  'action.responsibleDept': '责任部门',
  'action.proposal': '提交处理方案',
  'action.plan': '方案内容',
  'action.review': '审核方案',
  'action.approve': '批准',
  'action.return': '退回修改',
  'action.reviewComment': '审核意见',
  'action.decision': '代客户确认方案',
  'action.customerAccepts': '客户接受方案',
  'action.implementation': '提交落实结果',
  'action.result': '处理结果',
  'action.basis': '处理依据',
  'action.suggestions': '后续建议',
  'action.survey': '记录回访结果',

  'stage.received': '已受理',
  'stage.investigation': '调查核实',
  'stage.proposal': '制定方案',
  'stage.review': '主管审核',
  'stage.customer_decision': '待客户确认',
  'stage.implementation': '方案落实',
  'stage.follow_up': '回访评价',
  'stage.closed': '已结案',
  'outcome.resolved': '已解决',
  'outcome.rejected': '不成立',
  'outcome.no_response': '客户未回复',
  'step.investigation': '调查',
  'step.proposal': '方案',
  'step.review': '审核',
  'step.customer_decision': '客户确认',
  'step.implementation': '落实',
  'step.follow_up': '客户评价',
  'step.agent_follow_up': '电话回访',
  'category.service': '服务',
  'category.product': '产品',
  'category.delivery': '配送',
  'category.price': '价格',
  'category.other': '其他',
  'category.uncategorized': '未分类',
  'severity.unassessed': '未评估',
  'dept.unassigned': '未指派',
  'severity.minor': '轻微',
  'severity.general': '一般',
  'severity.serious': '严重',
  'channel.web': '网站',
  'channel.phone': '电话',
  'channel.email': '邮件',
  'channel.chat': '在线客服',
  'channel.social': '社交媒体',
  'channel.app': 'App',
  'channel.letter': '信函',
  'channel.walk_in': '来访',
  'channel.regulator': '监管转办',
  'role.customer': '客户',
  'role.agent': '客服专员',
  'role.department': '责任部门',
  'role.supervisor': '部门主管',
  'role.manager': '投诉经理',
  'role.analyst': '分析员',
  'dept.customer-service': '客户服务部',
  'dept.sales': '销售部',
  'dept.after-sales': '售后服务部',
  'dept.logistics': '物流部',
  'dept.quality': '质量管理部',
  'dept.billing': '财务结算部',
  'event.registered': '投诉已受理',
  'event.acknowledged': '已发送受理确认',
  'event.step_opened': '进入新环节',
  'event.investigated': '调查完成',
  'event.rejected': '投诉不成立',
  'event.proposed': '方案已提出',
  'event.approved': '方案已批准',
  'event.returned': '方案退回修改',
  'event.accepted': '客户接受方案',
  'event.declined': '客户不接受方案',
  'event.reminded': '已发送提醒',
  'event.implemented': '方案已落实',
  'event.result_notified': '已通知处理结果',
  'event.surveyed': '已评价',
  'event.reopened': '重新处理',
  'event.escalated': '已升级',
  'event.notification_sent': '已发送通知',
  'event.notification_failed': '通知发送失败',
  'event.closed': '已结案',
  'event.archived': '已归档',
  'event.needs_attention': '需人工处理',
  'event.action_refused': '操作未生效',
};

const en = {
  'app.name': 'Complaints',
  'lang.switch': '中文',
  'lang.switchLabel': '切换到中文',
  'common.required': 'required',
  'common.optional': 'optional',
  'common.loading': 'Loading…',
  'common.retry': 'Try again',
  'common.submit': 'Submit',
  'common.cancel': 'Cancel',
  'common.yes': 'Yes',
  'common.no': 'No',
  'common.none': '—',
  'common.networkError': 'The service cannot be reached. Check your connection and try again.',
  'common.serverError': 'The service is unavailable right now. Please try again later.',
  'common.fixErrors': 'Please correct the marked fields and submit again.',
  'common.conflict': 'This step was already taken or escalated. Reload to see where it stands.',
  'common.tooMany': 'Too many requests just now. Please wait a moment and try again.',

  'form.title': 'Make a complaint',
  'form.intro': 'Tell us what happened. We confirm receipt by email and reply by the date we promise.',
  'form.you': 'How we reach you',
  'form.name': 'Name',
  'form.email': 'Email',
  'form.phone': 'Phone',
  'form.contactHint': 'Give at least an email or a phone number. Status updates go to the email.',
  'form.organization': 'Organization',
  'form.language': 'Language for updates',
  'form.complaint': 'Your complaint',
  'form.subject': 'Subject',
  'form.description': 'What happened',
  'form.descriptionHint': 'What, when and where; people or products involved; what you would like us to do.',
  'form.category': 'Category',
  'form.categoryAny': 'Not sure',
  'form.orderRef': 'Order number',
  'form.occurredAt': 'When it happened',
  'form.send': 'Send complaint',
  'form.sending': 'Sending…',
  'form.doneTitle': 'We have your complaint',
  'form.doneRef': 'Reference',
  'form.doneDue': 'We will reply by',
  'form.doneMail': 'A confirmation email is on its way with a private link to follow your complaint.',
  'form.doneLink': 'Follow your complaint',
  'form.doneKeep': 'Keep this link: it is how you see your complaint’s progress.',
  'form.another': 'Make another complaint',

  'status.title': 'Your complaint',
  'status.ref': 'Reference',
  'status.stage': 'Stage',
  'status.outcome': 'Outcome',
  'status.received': 'Received',
  'status.replyDue': 'Reply promised by',
  'status.closedAt': 'Closed',
  'status.timeline': 'What has happened',
  'status.noLink': 'This link is incomplete. Please open this page from the link in our email.',
  'status.notFound':
    'We could not find this complaint, or the link is no longer valid. Use the link in our latest email.',
  'status.proposal': 'Proposed solution',
  'status.proposalIntro': 'Please read our proposal and tell us whether you accept it.',
  'status.accept': 'Accept',
  'status.decline': 'Decline',
  'status.declineReason': 'Why not?',
  'status.declineReasonHint': 'Tell us why, so that we can make a better proposal.',
  'status.comment': 'Comment',
  'status.decisionThanks': 'Thank you, we have your decision.',
  'status.survey': 'How did we do?',
  'status.surveyIntro': 'Are you satisfied with how we handled your complaint?',
  'status.rating': 'Rating',
  'status.ratingHint': '1 = very dissatisfied, 5 = very satisfied',
  'status.surveyComment': 'Comments',
  'status.surveySend': 'Send',
  'status.surveyThanks': 'Thank you for your feedback!',
  'status.provisional': ' (provisional)',

  'timeline.received': 'Complaint received',
  'timeline.acknowledged': 'Confirmation email sent',
  'timeline.investigated': 'Investigation finished',
  'timeline.rejected': 'After investigation, the complaint was not upheld',
  'timeline.proposal_ready': 'A solution was proposed for your decision',
  'timeline.proposal_accepted': 'You accepted the solution',
  'timeline.proposal_declined': 'You declined the solution; we are preparing another',
  'timeline.reminder_sent': 'Reminder sent',
  'timeline.implemented': 'The solution was carried out',
  'timeline.result_sent': 'Result sent',
  'timeline.feedback_received': 'Your feedback was received',
  'timeline.reopened': 'Reopened',
  'timeline.closed': 'Closed',
  'status.open': 'In progress',
  'status.result': 'Result',
  'status.basis': 'Basis',
  'status.suggestions': 'Suggestions',
  'status.yourRating': 'Your rating',
  'status.respondBy': 'Please answer by',
  'console.title': 'Complaint handling console',
  'console.signIn': 'Sign in',
  'console.signOut': 'Sign out',
  'console.signInIntro': 'Local stack: pick a role (and a department) to sign in.',
  'console.signInCognito': 'Sign in with your company account',
  'console.signInFailed': 'Sign-in did not complete. Please try again.',
  'console.signInCancelled': 'Sign-in was cancelled.',
  'console.signInNotConfigured': 'Company sign-in is not configured yet (cognito in web/config.js).',
  'console.signInNoRole': 'Your account has no staff role. Ask an administrator to add you to a role group.',
  'console.role': 'Role',
  'console.department': 'Department',
  'console.departmentAny': '(any)',
  'console.yourName': 'Display name',
  'console.queues': 'Queues',
  'console.overdue': 'Overdue',
  'console.escalatedTo': 'escalated',
  'console.overdueOnly': 'Overdue only',
  'console.due': 'Due',
  'console.when': 'When',
  'console.empty': 'Nothing in this queue.',
  'console.selectHint': 'Pick a complaint from a queue to see it here.',
  'console.record': 'Record',
  'console.customer': 'Customer',
  'console.contact': 'Contact',
  'console.channel': 'Channel',
  'console.category': 'Category',
  'console.severity': 'Severity',
  'console.description': 'Description',
  'console.orderRef': 'Order',
  'console.escalation': 'Escalation level',
  'console.waitingFor': 'Waiting for',
  'console.investigation': 'Investigation',
  'console.findings': 'Findings',
  'console.opinion': 'Opinion given to the customer',
  'console.valid': 'Valid',
  'console.proposal': 'Proposal',
  'console.round': 'Round',
  'console.implementation': 'Implementation',
  'console.survey': 'Survey',
  'console.history': 'History',
  'console.action': 'Action',
  'console.notYours': 'Another role takes this step.',
  'console.noAction': 'No step is waiting.',
  'console.sent': 'Sent; the journey moves on…',
  'console.register': 'Register a complaint',
  'console.registerIntro': 'Complaints received by phone, email, chat, letter or in person.',
  'console.registered': 'Registered, reference:',
  'console.reports': 'Reports',
  'console.from': 'From',
  'console.to': 'To',
  'console.load': 'Show',
  'console.clock': 'Simulated time',
  'console.needsAttention': 'Needs attention',
  'console.repeat': 'Repeat complaint',
  'console.refresh': 'Refresh',
  'console.analystOnly': 'Analysts see the reports only.',

  'report.overall': 'Overall',
  'report.byCategory': 'By category',
  'report.bySeverity': 'By severity',
  'report.byChannel': 'By channel',
  'report.byDepartment': 'By department',
  'report.complaints': 'Complaints',
  'report.open': 'Open',
  'report.closed': 'Closed',
  'report.timely': 'Timely handling',
  'report.onTime': 'On-time completion',
  'report.satisfaction': 'Satisfaction · mean',
  'report.firstContact': 'First-contact resolution',
  'report.repeat': 'Repeat complaints',
  'report.firstResponse': 'First response (mean · p90)',
  'report.escalation': 'Escalated',
  'report.rejected': 'Not upheld',
  'action.investigation': 'Record the investigation',
  'action.valid': 'Is the complaint valid?',
  'action.findings': 'Findings (internal)',
  'action.opinion': 'Opinion for the customer',
  'action.opinionHint':
    'Emailed to the customer when the complaint is not valid; the findings are never sent to the customer.',
  'action.opinionRequired': 'Required when the complaint is not valid: what the customer is told.',
  'action.responsibleDept': 'Responsible department',
  'action.proposal': 'Propose a solution',
  'action.plan': 'Plan',
  'action.review': 'Review the plan',
  'action.approve': 'Approve',
  'action.return': 'Return for changes',
  'action.reviewComment': 'Comment',
  'action.decision': 'Record the customer’s decision',
  'action.customerAccepts': 'The customer accepts',
  'action.implementation': 'Record the implementation',
  'action.result': 'Result',
  'action.basis': 'Basis',
  'action.suggestions': 'Follow-up suggestions',
  'action.survey': 'Record the follow-up call',

  'stage.received': 'Received',
  'stage.investigation': 'Investigation',
  'stage.proposal': 'Proposal',
  'stage.review': 'Supervisor review',
  'stage.customer_decision': 'Customer decision',
  'stage.implementation': 'Implementation',
  'stage.follow_up': 'Follow-up',
  'stage.closed': 'Closed',
  'outcome.resolved': 'Resolved',
  'outcome.rejected': 'Not upheld',
  'outcome.no_response': 'No response',
  'step.investigation': 'investigation',
  'step.proposal': 'proposal',
  'step.review': 'review',
  'step.customer_decision': 'customer decision',
  'step.implementation': 'implementation',
  'step.follow_up': 'customer survey',
  'step.agent_follow_up': 'follow-up call',
  'category.service': 'Service',
  'category.product': 'Product',
  'category.delivery': 'Delivery',
  'category.price': 'Price',
  'category.other': 'Other',
  'category.uncategorized': 'Uncategorized',
  'severity.unassessed': 'Not assessed',
  'dept.unassigned': 'Unassigned',
  'severity.minor': 'Minor',
  'severity.general': 'General',
  'severity.serious': 'Serious',
  'channel.web': 'Web',
  'channel.phone': 'Phone',
  'channel.email': 'Email',
  'channel.chat': 'Chat',
  'channel.social': 'Social media',
  'channel.app': 'App',
  'channel.letter': 'Letter',
  'channel.walk_in': 'Walk-in',
  'channel.regulator': 'Regulator',
  'role.customer': 'Customer',
  'role.agent': 'Agent',
  'role.department': 'Department',
  'role.supervisor': 'Supervisor',
  'role.manager': 'Manager',
  'role.analyst': 'Analyst',
  'dept.customer-service': 'Customer Service',
  'dept.sales': 'Sales',
  'dept.after-sales': 'After-Sales Service',
  'dept.logistics': 'Logistics',
  'dept.quality': 'Quality',
  'dept.billing': 'Billing',
  'event.registered': 'Complaint received',
  'event.acknowledged': 'Receipt confirmed',
  'event.step_opened': 'Next step opened',
  'event.investigated': 'Investigated',
  'event.rejected': 'Not upheld',
  'event.proposed': 'Solution proposed',
  'event.approved': 'Solution approved',
  'event.returned': 'Solution returned for changes',
  'event.accepted': 'Solution accepted',
  'event.declined': 'Solution declined',
  'event.reminded': 'Reminder sent',
  'event.implemented': 'Solution implemented',
  'event.result_notified': 'Result sent',
  'event.surveyed': 'Feedback received',
  'event.reopened': 'Reopened',
  'event.escalated': 'Escalated',
  'event.notification_sent': 'Notification sent',
  'event.notification_failed': 'Notification failed',
  'event.closed': 'Closed',
  'event.archived': 'Archived',
  'event.needs_attention': 'Needs attention',
  'event.action_refused': 'Action not taken',
};

const DICTIONARIES = { 'zh-CN': zh, en };
const STORAGE_KEY = 'complaints.language';

export const CATEGORIES = ['service', 'product', 'delivery', 'price', 'other'];
export const SEVERITIES = ['minor', 'general', 'serious'];
export const CHANNELS = ['web', 'phone', 'email', 'chat', 'social', 'app', 'letter', 'walk_in', 'regulator'];
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
export const ROLES = ['agent', 'department', 'supervisor', 'manager', 'analyst'];
export const DEPARTMENTS = ['customer-service', 'sales', 'after-sales', 'logistics', 'quality', 'billing'];

export function language() {
  const chosen = new URLSearchParams(location.search).get('lang') ?? storedLanguage();
  return chosen === 'en' || chosen === 'zh-CN' ? chosen : (config.defaultLanguage ?? 'zh-CN');
}

/** the stored choice; storage can be blocked (site data off): then none */
function storedLanguage() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function setLanguage(lang) {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // storage blocked: the choice lasts as long as the address carries it
  }
  // A ?lang= in the address wins over the stored choice: change it too, or the switch would
  // do nothing on a page opened with one (and a reload would go back).
  const url = new URL(location.href);
  if (url.searchParams.has('lang') || storedLanguage() !== lang) {
    url.searchParams.set('lang', lang);
    history.replaceState(history.state, '', url);
  }
  document.documentElement.lang = lang;
  applyTexts();
  document.dispatchEvent(new CustomEvent('languagechange', { detail: lang }));
}

/** The text for `key`, or a fallback (the last part of the key) when there is none. */
export function t(key) {
  const dict = DICTIONARIES[language()];
  return dict[key] ?? zh[key] ?? key.split('.').pop();
}

/** Label of a vocabulary value, e.g. label('stage', 'review'). */
export function label(kind, value) {
  if (value === undefined || value === null || value === '') return t('common.none');
  const key = `${kind}.${value}`;
  const dict = DICTIONARIES[language()];
  return dict[key] ?? String(value);
}

export function applyTexts(root = document) {
  document.documentElement.lang = language();
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]'))
    el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-aria-label]')) {
    el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  }
}

/** Wires a language switch button: it shows the other language's name. */
export function mountLanguageSwitch(button) {
  const render = () => {
    button.textContent = t('lang.switch');
    button.setAttribute('aria-label', t('lang.switchLabel'));
    button.lang = language() === 'en' ? 'zh-CN' : 'en';
  };
  button.addEventListener('click', () => {
    setLanguage(language() === 'en' ? 'zh-CN' : 'en');
    render();
  });
  render();
}

/** A date and time in the page's language and the Asia/Shanghai zone (the business calendar's). */
export function formatDateTime(iso) {
  if (!iso) return t('common.none');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return new Intl.DateTimeFormat(language(), {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Shanghai',
  }).format(date);
}

export function formatDate(iso) {
  if (!iso) return t('common.none');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return new Intl.DateTimeFormat(language(), { dateStyle: 'long', timeZone: 'Asia/Shanghai' }).format(date);
}

/**
 * The API writes its field messages in English; on a Chinese page the known ones are shown
 * in Chinese (the rest as they came).
 */
const API_MESSAGES_ZH = [
  [/^Required\.$/, '必填。'],
  [/^Must not be empty\.$/, '不能为空。'],
  [/^Must be text\.$/, '请填写文字。'],
  [/^At most ([\d,]+) characters\.$/, (m) => `最多 ${m[1]} 个字符。`],
  [/^Must be one of: (.*)\.$/, (m) => `请选择：${m[1]}。`],
  [/^Must be true or false\.$/, '请选择是或否。'],
  [/^Must be an email address/, '邮箱格式不正确，例如 name@example.com。'],
  [/^Must be a phone number/, '手机号码格式不正确：请填写数字，可以 + 和国家代码开头。'],
  [/^Give an email address or a phone number/, '请填写邮箱或手机号码（至少一项）。'],
  [/^Must not be in the future\.$/, '不能晚于当前时间。'],
  [/^Must be a date like/, '日期格式不正确。'],
  [/^Must be a whole number from 1 to 5\.$/, '请选择 1 到 5 分。'],
  [/^Required when the complaint is valid/, '投诉成立时必须指定责任部门。'],
  [/^Required when the plan is returned/, '退回方案时请写明修改意见。'],
  [/^Required when declining/, '不接受方案时请说明原因，以便我们重新制定方案。'],
];

export function apiMessage(message) {
  if (language() !== 'zh-CN' || typeof message !== 'string') return message;
  for (const [pattern, text] of API_MESSAGES_ZH) {
    const match = pattern.exec(message);
    if (match) return typeof text === 'function' ? text(match) : text;
  }
  return message;
}
