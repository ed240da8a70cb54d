/**
 * Attachments on the pages (evidence: photos, reports, letters): choose files, upload them with
 * progress (POST → presigned PUT → GET, which checks and lists the file), and list the files
 * with download buttons (each asks for a short-lived link, then downloads).
 *
 * One module for the three pages, each with a one-line hook: the form (files chosen before
 * sending, uploaded once the complaint exists), the status page (list + add more) and the staff
 * console (list + add, internal or visible to the customer). Texts in zh-CN and en; API errors
 * are translated from their code, never from the English message.
 */
import { ApiError, api } from './api.js';
import { formatDateTime, language } from './i18n.js';

/** What the pages offer to choose (config/attachments.json decides; the API refuses the rest). */
const TYPES = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heic',
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
};
const ACCEPT = Object.keys(TYPES)
  .map((ext) => `.${ext}`)
  .join(',');

const TEXTS = {
  'zh-CN': {
    title: '附件',
    hint: '可上传照片、PDF、Office 文档、音频或视频（每个文件最多 10 MB，视频 50 MB，每件投诉最多 20 个）。',
    choose: '添加附件',
    none: '暂无附件',
    download: '下载',
    uploading: '正在上传',
    uploaded: '已上传',
    waiting: '提交投诉后上传',
    remove: '移除',
    visible: '客户可见',
    internal: '仅内部可见',
    makeVisible: '对客户可见',
    byCustomer: '客户上传',
    byStaff: '工作人员上传',
    file_too_large: '文件太大：每个文件最多 10 MB（视频最多 50 MB）。',
    file_type_not_allowed: '不支持此类文件，请上传图片、PDF、Office 文档、音频或视频。',
    too_many_attachments: '附件数量已达上限（每件投诉 20 个）。',
    upload_refused: '文件内容与其类型或大小不符，未被接受，请重新上传。',
    upload_pending: '文件尚未上传完成，请稍后再试。',
    wrong_stage: '投诉已结案，不能再添加附件。',
    network: '网络连接失败，请检查网络后重试。',
    failed: '上传失败，请稍后重试。',
    downloadFailed: '无法获取下载链接，请稍后重试。',
  },
  en: {
    title: 'Attachments',
    hint: 'Photos, PDF, Office documents, audio or video (up to 10 MB a file, 50 MB for video, 20 files a complaint).',
    choose: 'Add files',
    none: 'No attachments yet',
    download: 'Download',
    uploading: 'Uploading',
    uploaded: 'Uploaded',
    waiting: 'Uploaded when you send the complaint',
    remove: 'Remove',
    visible: 'Visible to the customer',
    internal: 'Internal only',
    makeVisible: 'Visible to the customer',
    byCustomer: 'From the customer',
    byStaff: 'From staff',
    file_too_large: 'The file is too large: up to 10 MB a file (50 MB for video).',
    file_type_not_allowed:
      'This type of file is not accepted: attach images, PDF, Office documents, audio or video.',
    too_many_attachments: 'This complaint has as many files as allowed (20).',
    upload_refused: 'The file did not match its type or size and was not accepted; attach it again.',
    upload_pending: 'The file has not finished uploading; try again shortly.',
    wrong_stage: 'The complaint is closed: no more files can be attached.',
    network: 'The connection failed. Check your network and try again.',
    failed: 'The upload failed. Please try again later.',
    downloadFailed: 'Could not get a download link. Please try again later.',
  },
};

function tx(key) {
  return (TEXTS[language()] ?? TEXTS['zh-CN'])[key] ?? TEXTS.en[key] ?? key;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = value;
    else if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child);
  return node;
}

function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 102.4) / 10} KB`;
  return `${Math.round(bytes / (1024 * 104.8576)) / 10} MB`;
}

/** The media type of a chosen file: the browser's, else from its extension. */
export function contentTypeOf(file) {
  const ext = (file.name.split('.').pop() ?? '').toLowerCase();
  return TYPES[ext] ?? file.type ?? 'application/octet-stream';
}

/** The message for an error of the attachment routes, in the page language. */
export function attachmentError(error) {
  if (error instanceof ApiError) {
    if (error.status === 0) return tx('network');
    if (TEXTS.en[error.code]) return tx(error.code);
  }
  return tx('failed');
}

function putWithProgress(upload, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(upload.method ?? 'PUT', upload.url);
    for (const [name, value] of Object.entries(upload.headers ?? {})) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress?.(event.loaded / event.total);
    };
    xhr.onload = () =>
      xhr.status >= 200 && xhr.status < 300
        ? resolve()
        : reject(new ApiError(xhr.status, 'failed', 'upload failed'));
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network error'));
    xhr.send(file);
  });
}

/**
 * Uploads one file to a complaint: `base` is `/complaints/<id>/attachments` (customer token) or
 * `/staff/complaints/<id>/attachments` (staff token). Resolves with the listed attachment;
 * rejects with ApiError (see attachmentError).
 */
export async function uploadAttachment({ base, token, file, visibleToCustomer, onProgress }) {
  const body = { fileName: file.name, contentType: contentTypeOf(file), size: file.size };
  if (visibleToCustomer !== undefined) body.visibleToCustomer = visibleToCustomer;
  const created = await api(base, { method: 'POST', body, token });
  await putWithProgress(created.upload, file, onProgress);
  onProgress?.(1);
  // the GET checks the stored object and lists it (or refuses it: 409 upload_refused)
  const link = await api(`${base}/${encodeURIComponent(created.attachmentId)}`, { token });
  return link.attachment;
}

async function download(base, token, attachmentId, status) {
  try {
    const link = await api(`${base}/${encodeURIComponent(attachmentId)}`, { token });
    // Content-Disposition: attachment → the browser saves it and stays on the page
    location.assign(link.url);
  } catch {
    status.textContent = tx('downloadFailed');
  }
}

/** The list of a complaint's attachments, each with a download button. */
export function attachmentList(attachments, { base, token, staff = false }) {
  const status = el('div', { class: 'field-error', role: 'status' });
  if (!attachments?.length) return el('div', {}, el('p', { class: 'hint', text: tx('none') }));
  const list = el(
    'ul',
    { class: 'attachments' },
    attachments.map((a) =>
      el(
        'li',
        { 'data-attachment-id': a.attachmentId },
        el('span', { class: 'file-name', text: a.fileName }),
        ' ',
        el('small', {
          class: 'hint',
          text: [
            formatSize(a.size),
            formatDateTime(a.uploadedAt),
            a.by === 'customer' ? tx('byCustomer') : tx('byStaff'),
            staff ? (a.visibleToCustomer ? tx('visible') : tx('internal')) : null,
          ]
            .filter(Boolean)
            .join(' · '),
        }),
        ' ',
        el('button', {
          type: 'button',
          class: 'link-button',
          text: tx('download'),
          'aria-label': `${tx('download')} ${a.fileName}`,
          onclick: () => download(base, token, a.attachmentId, status),
        }),
      ),
    ),
  );
  return el('div', {}, list, status);
}

/**
 * A file chooser with a row per file (name, size, progress, error). `upload(file)` is called at
 * once for each chosen file unless `deferred`: then the files wait for `uploadAll(target)`.
 */
export function attachmentPicker({ deferred = false, staff = false, target, onUploaded } = {}) {
  const rows = el('ul', { class: 'attachments uploads', 'aria-live': 'polite' });
  const queued = [];
  const visible = staff
    ? el('input', { type: 'checkbox', id: `attach-visible-${Math.random().toString(36).slice(2)}` })
    : null;
  const input = el('input', {
    type: 'file',
    multiple: true,
    accept: ACCEPT,
    class: 'file-input',
    'aria-label': tx('choose'),
  });

  function row(file) {
    const progress = el('progress', { max: 1, value: 0, hidden: deferred });
    const state = el('small', { class: 'hint', text: deferred ? tx('waiting') : tx('uploading') });
    const error = el('div', { class: 'field-error' });
    const item = el(
      'li',
      {},
      el('span', { class: 'file-name', text: file.name }),
      ' ',
      el('small', { class: 'hint', text: formatSize(file.size) }),
      ' ',
      state,
      progress,
      error,
    );
    if (deferred) {
      const remove = el('button', { type: 'button', class: 'link-button', text: tx('remove') });
      remove.addEventListener('click', () => {
        queued.splice(
          queued.findIndex((q) => q.item === item),
          1,
        );
        item.remove();
      });
      item.append(remove);
    }
    rows.append(item);
    return { file, item, progress, state, error };
  }

  async function send(entry, where) {
    entry.progress.hidden = false;
    entry.state.textContent = tx('uploading');
    entry.error.textContent = '';
    try {
      const attachment = await uploadAttachment({
        ...where,
        file: entry.file,
        ...(staff ? { visibleToCustomer: visible.checked } : {}),
        onProgress: (p) => {
          entry.progress.value = p;
        },
      });
      entry.state.textContent = tx('uploaded');
      entry.item.dataset.uploaded = 'true';
      onUploaded?.(attachment);
      return attachment;
    } catch (error) {
      entry.progress.hidden = true;
      entry.state.textContent = '';
      entry.error.textContent = attachmentError(error);
      return undefined;
    }
  }

  input.addEventListener('change', () => {
    for (const file of input.files ?? []) {
      const entry = row(file);
      if (deferred) queued.push(entry);
      else void send(entry, target());
    }
    input.value = '';
  });

  const element = el(
    'div',
    { class: 'field attachment-picker' },
    el('label', { class: 'button', text: tx('choose') }, input),
    el('p', { class: 'hint', text: tx('hint') }),
    visible ? el('label', {}, visible, ' ', tx('makeVisible')) : null,
    rows,
  );
  return {
    element,
    /** uploads the waiting files (deferred mode); resolves with the attachments that made it */
    async uploadAll(where) {
      const done = [];
      for (const entry of queued.splice(0)) {
        const a = await send(entry, where);
        if (a) done.push(a);
      }
      return done;
    },
  };
}

// ------------------------------------------------------------------ page hooks

/** The form: a picker under the description; files upload once the complaint is created. */
export function mountFormAttachments(anchor) {
  const picker = attachmentPicker({ deferred: true });
  const section = el('fieldset', { id: 'attachments' }, el('legend', { text: tx('title') }), picker.element);
  anchor.after(section);
  return {
    /** call with the POST /complaints answer; the rows show each file's outcome */
    upload: (created) =>
      picker.uploadAll({
        base: `/complaints/${encodeURIComponent(created.id)}/attachments`,
        token: created.accessToken,
      }),
    /** the rows (with their outcome) to show on the confirmation */
    element: section,
  };
}

/** The status page: the customer's list and, while open, a picker to add more. */
export function renderStatusAttachments(main, view, token, reload) {
  const base = `/complaints/${encodeURIComponent(view.id)}/attachments`;
  let card = document.getElementById('attachments-card');
  if (!card) {
    card = el('section', { class: 'card', id: 'attachments-card', 'aria-labelledby': 'attachments-title' });
    main.append(card);
  }
  card.replaceChildren(
    el('h2', { id: 'attachments-title', text: tx('title') }),
    attachmentList(view.attachments ?? [], { base, token }),
    view.stage === 'closed'
      ? null
      : attachmentPicker({ target: () => ({ base, token }), onUploaded: () => reload() }).element,
  );
}

/** The console: every file (internal ones marked) and a picker (internal or visible). */
export function consoleAttachmentsCard(c, token, reload) {
  const base = `/staff/complaints/${encodeURIComponent(c.id)}/attachments`;
  return el(
    'div',
    { class: 'card', id: 'attachments-card' },
    el('h2', { text: tx('title') }),
    attachmentList(c.attachments ?? [], { base, token, staff: true }),
    attachmentPicker({ staff: true, target: () => ({ base, token }), onUploaded: () => reload() }).element,
  );
}
