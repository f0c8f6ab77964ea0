"use strict";

const PRESETS = [
  { label: "Alice (en)", id: 1001, name: "Alice", lang: "en" },
  { label: "Борис (ru)", id: 1002, name: "Борис", lang: "ru" },
  { label: "Chen (en)", id: 1003, name: "Chen", lang: "en" },
  { label: "Мария (ru)", id: 1004, name: "Мария", lang: "ru" },
];
const ACTIONS = {
  typing: "typing…", upload_photo: "sending photo…", upload_video: "sending video…", record_video: "recording video…",
  upload_document: "sending file…", upload_voice: "sending voice…", record_voice: "recording voice…",
  choose_sticker: "choosing a sticker…", find_location: "finding location…",
};
const STORAGE_KEY = "localTelegram.user";

const $ = (selector) => document.querySelector(selector);
const messages = $("#messages");
const composer = $("#composer");
let info = { bot_username: "bot", group_chat_id: 0 };
let stream = null;
let actionTimer = null;
let toastTimer = null;

function currentUser() {
  return {
    user_id: Number($("#user-id").value),
    first_name: $("#first-name").value.trim(),
    language_code: $("#language-code").value,
  };
}

function currentChatId() {
  return $("#group-toggle").checked ? info.group_chat_id : currentUser().user_id;
}

// sessionStorage keeps each tab its own user; localStorage gives new tabs the last one used.
function loadUser() {
  const saved = sessionStorage.getItem(STORAGE_KEY) || localStorage.getItem(STORAGE_KEY);
  const user = saved ? JSON.parse(saved) : { id: PRESETS[0].id, name: PRESETS[0].name, lang: PRESETS[0].lang, group: false };
  $("#user-id").value = user.id;
  $("#first-name").value = user.name;
  $("#language-code").value = user.lang;
  $("#group-toggle").checked = !!user.group;
  syncPreset();
}

function saveUser() {
  const user = { id: Number($("#user-id").value), name: $("#first-name").value.trim(), lang: $("#language-code").value,
    group: $("#group-toggle").checked };
  const json = JSON.stringify(user);
  sessionStorage.setItem(STORAGE_KEY, json);
  localStorage.setItem(STORAGE_KEY, json);
}

function syncPreset() {
  const user = currentUser();
  const match = PRESETS.findIndex((p) => p.id === user.user_id && p.name === user.first_name && p.lang === user.language_code);
  $("#user-preset").value = match >= 0 ? String(match) : "";
}

function userChanged() {
  if (!currentUser().user_id || !currentUser().first_name) {
    return;
  }
  saveUser();
  syncPreset();
  connect();
}

function connect() {
  if (stream) {
    stream.close();
  }
  messages.replaceChildren();
  const chatId = currentChatId();
  $("#chat-title").textContent = $("#group-toggle").checked ? "Imagine local group" : "Imagine";
  setStatus();
  stream = new EventSource("/chat/events?chat=" + encodeURIComponent(chatId));
  stream.addEventListener("message", (event) => render(JSON.parse(event.data)));
  stream.addEventListener("action", (event) => showAction(JSON.parse(event.data).action));
  stream.addEventListener("toast", (event) => showToast(JSON.parse(event.data)));
  stream.addEventListener("ready", () => scrollDown());
}

function setStatus(text) {
  const status = $("#chat-status");
  status.textContent = text || ($("#group-toggle").checked ? "group" : "@" + info.bot_username);
  status.classList.toggle("active", !!text);
}

function showAction(action) {
  const text = ACTIONS[action] || action;
  const indicator = $("#chat-action");
  indicator.textContent = info.bot_username + " is " + text;
  indicator.dataset.action = action;
  indicator.hidden = false;
  setStatus(text);
  clearTimeout(actionTimer);
  actionTimer = setTimeout(hideAction, 5000);
}

function hideAction() {
  $("#chat-action").hidden = true;
  setStatus();
}

function showToast(answer) {
  if (!answer.text) {
    return;
  }
  const toast = $("#toast");
  toast.textContent = answer.text;
  toast.classList.toggle("alert", !!answer.show_alert);
  toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { toast.hidden = true; }, 3000);
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined && text !== null) {
    node.textContent = text;
  }
  return node;
}

function fileUrl(fileId) {
  return "/chat/file/" + encodeURIComponent(fileId);
}

function isGif(file) {
  return (file.mime_type || "").includes("gif") || (file.file_name || "").toLowerCase().endsWith(".gif");
}

function media(message) {
  if (message.photo) {
    const img = element("img", "photo");
    const largest = message.photo[message.photo.length - 1];
    img.src = fileUrl(largest.file_id);
    img.alt = message.caption || "photo";
    img.width = largest.width;
    img.height = largest.height;
    img.style.height = "auto";
    img.addEventListener("load", scrollDownIfNear);
    return img;
  }
  if (message.animation) {
    if (isGif(message.animation)) {
      const img = element("img", "animation");
      img.src = fileUrl(message.animation.file_id);
      return img;
    }
    const video = element("video", "animation");
    Object.assign(video, { src: fileUrl(message.animation.file_id), autoplay: true, loop: true, muted: true, playsInline: true });
    return video;
  }
  if (message.video) {
    const video = element("video", "video");
    Object.assign(video, { src: fileUrl(message.video.file_id), controls: true, preload: "metadata" });
    return video;
  }
  if (message.document) {
    const link = element("a", "document", "📄 " + (message.document.file_name || "file"));
    link.href = fileUrl(message.document.file_id);
    link.download = message.document.file_name || "file";
    return link;
  }
  return null;
}

function senderName(message) {
  return message.from ? message.from.first_name : "";
}

function replyQuote(reply) {
  const quote = element("div", "reply-quote");
  quote.dataset.replyTo = reply.message_id;
  quote.append(element("span", "quote-sender", senderName(reply)));
  quote.append(document.createTextNode(reply.text || reply.caption || (reply.photo ? "Photo" : "Media")));
  return quote;
}

function keyboard(message) {
  const rows = message.reply_markup && message.reply_markup.inline_keyboard;
  if (!rows) {
    return null;
  }
  const board = element("div", "keyboard");
  for (const row of rows) {
    const line = element("div", "row");
    for (const button of row) {
      if (button.url) {
        const link = element("a", "url-button", button.text + " ↗");
        link.href = button.url;
        link.target = "_blank";
        line.append(link);
        continue;
      }
      const node = element("button", "", button.text);
      node.type = "button";
      node.dataset.callbackData = button.callback_data || "";
      node.addEventListener("click", () => post("/chat/press", {
        ...currentUser(), chat_id: message.chat.id, message_id: message.message_id, data: button.callback_data || "",
      }));
      line.append(node);
    }
    board.append(line);
  }
  return board;
}

function build(message) {
  const me = currentUser().user_id;
  const fromBot = message.from_bot;
  const node = element("div", "message " + (fromBot ? "bot" : "user"));
  if (!fromBot && message.from && message.from.id !== me) {
    node.classList.add("other");
  }
  node.dataset.messageId = message.message_id;
  if (message.chat.type !== "private" && (fromBot || message.from.id !== me)) {
    node.append(element("div", "sender", senderName(message)));
  }
  if (message.reply_to_message) {
    node.append(replyQuote(message.reply_to_message));
  }
  const attachment = media(message);
  if (attachment) {
    node.append(attachment);
  }
  if (message.text !== undefined) {
    node.append(element("div", "text", message.text));
  }
  if (message.caption !== undefined) {
    node.append(element("div", "caption", message.caption));
  }
  const buttons = keyboard(message);
  if (buttons) {
    node.append(buttons);
  }
  if (message.reactions && message.reactions.length) {
    node.append(element("span", "reactions", message.reactions.join(" ")));
  }
  const time = new Date(message.date * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  node.append(element("div", "meta", (message.edit_count ? "edited " : "") + time));
  return node;
}

// The messages of one media group show as one album: its pictures side by side, each with its own caption.
function renderAlbumItem(message) {
  let album = messages.querySelector(`.message.album[data-media-group-id="${message.media_group_id}"]`);
  const existing = album && album.querySelector(`.album-item[data-message-id="${message.message_id}"]`);
  if (message.deleted) {
    if (existing) {
      existing.remove();
    }
    if (album && !album.querySelector(".album-item")) {
      album.remove();
    }
    return;
  }
  const near = isNearBottom();
  if (!album) {
    album = element("div", "message album " + (message.from_bot ? "bot" : "user"));
    album.dataset.mediaGroupId = message.media_group_id;
    if (message.chat.type !== "private" && message.from_bot) {
      album.append(element("div", "sender", senderName(message)));
    }
    if (message.reply_to_message) {
      album.append(replyQuote(message.reply_to_message));
    }
    album.append(element("div", "album-items"));
    const time = new Date(message.date * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    album.append(element("div", "meta", time));
    messages.append(album);
    if (message.from_bot) {
      hideAction();
    }
  }
  const item = element("figure", "album-item");
  item.dataset.messageId = message.message_id;
  const attachment = media(message);
  if (attachment) {
    item.append(attachment);
  }
  if (message.caption !== undefined) {
    item.append(element("figcaption", "caption", message.caption));
  }
  if (existing) {
    existing.replaceWith(item);
  } else {
    album.querySelector(".album-items").append(item);
  }
  if (near) {
    scrollDown();
  }
}

function render(message) {
  if (message.chat.id !== currentChatId()) {
    return;
  }
  if (message.media_group_id) {
    renderAlbumItem(message);
    return;
  }
  const existing = messages.querySelector(`.message[data-message-id="${message.message_id}"]`);
  if (message.deleted) {
    if (existing) {
      existing.remove();
    }
    return;
  }
  const near = isNearBottom();
  const node = build(message);
  if (existing) {
    existing.replaceWith(node);
  } else {
    messages.append(node);
    if (message.from_bot) {
      hideAction();
    }
  }
  if (near || !message.from_bot) {
    scrollDown();
  }
}

function isNearBottom() {
  return messages.scrollHeight - messages.scrollTop - messages.clientHeight < 120;
}

function scrollDown() {
  messages.scrollTop = messages.scrollHeight;
}

function scrollDownIfNear() {
  if (isNearBottom()) {
    scrollDown();
  }
}

// The answer's JSON, or null when the local Telegram refused the action (the reason is shown) or is not reachable.
async function post(url, body) {
  try {
    const response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    if (!response.ok) {
      const error = await response.json().catch(() => ({}));
      showError(error.error || response.statusText);
      return null;
    }
    return await response.json().catch(() => ({}));
  } catch (e) {
    showError("The local Telegram is not reachable");
    return null;
  }
}

function showError(text) {
  showNote("error", text);
}

function showNote(className, text) {
  messages.append(element("div", className, text));
  scrollDown();
}

async function sendText() {
  const text = composer.value;
  if (!text.trim()) {
    return;
  }
  composer.value = "";
  autoGrow();
  const sent = await post("/chat/send", { ...currentUser(), chat_id: currentChatId(), text });
  // Telegram takes 4096 characters a message; Telegram Desktop sends a longer text as several.
  if (sent && sent.message_ids && sent.message_ids.length > 1) {
    showNote("note", "Sent as " + sent.message_ids.length + " messages: Telegram takes at most 4096 characters in one.");
  }
}

function sendPhoto(file) {
  const reader = new FileReader();
  reader.onload = async () => {
    const data = String(reader.result).split(",")[1];
    const caption = composer.value;
    composer.value = "";
    autoGrow();
    const sent = await post("/chat/photo", { ...currentUser(), chat_id: currentChatId(), data, caption });
    if (!sent) {
      restore(caption);
    }
  };
  reader.readAsDataURL(file);
}

// Gives a refused caption back to the composer, so it can be shortened and sent again.
function restore(text) {
  if (!composer.value) {
    composer.value = text;
    autoGrow();
  }
}

function autoGrow() {
  composer.style.height = "auto";
  composer.style.height = Math.min(composer.scrollHeight, 160) + "px";
}

async function init() {
  info = await fetch("/chat/info").then((response) => response.json());
  const preset = $("#user-preset");
  PRESETS.forEach((p, index) => preset.append(new Option(p.label, String(index))));
  loadUser();
  preset.addEventListener("change", () => {
    const chosen = PRESETS[Number(preset.value)];
    if (preset.value === "" || !chosen) {
      return;
    }
    $("#user-id").value = chosen.id;
    $("#first-name").value = chosen.name;
    $("#language-code").value = chosen.lang;
    userChanged();
  });
  for (const id of ["#user-id", "#first-name", "#language-code", "#group-toggle"]) {
    $(id).addEventListener("change", userChanged);
  }
  composer.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      sendText();
    }
  });
  composer.addEventListener("input", autoGrow);
  $("#send").addEventListener("click", sendText);
  $("#photo-input").addEventListener("change", (event) => {
    const file = event.target.files[0];
    if (file) {
      sendPhoto(file);
    }
    event.target.value = "";
  });
  saveUser();
  connect();
  composer.focus();
}

init();
