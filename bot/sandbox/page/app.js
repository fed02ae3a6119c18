// The sandbox's page: polls /sandbox/state for what changed, draws the picked person's view of
// the workspace, and sends what they do (a line typed, a button, the form, a ✅, the clock) to the
// bot. Plain JavaScript, no framework, nothing from elsewhere. Every text from the server goes in
// with textContent, never as HTML: what people typed stays text.
'use strict';

(function () {
  const poll_every_ms = 1000;

  const view = {
    cursor: 0,
    now: null,             // {ms, iso} as the server said
    now_read_at: 0,        // Date.now() when it did
    team: '',
    bot: 'microalign',
    channels: [],
    people: [],
    entries: new Map(),    // id → entry
    person: '',
    conversation: '',
    thread: '',            // the message a reply goes under, when replying in a thread
    seen: new Map(),       // "person conversation" → the last order seen there
    nodes: new Map(),      // id → {key, node}: drawn entries, redrawn only when they change
    drawn_key: '',
  };

  const $ = (id) => document.getElementById(id);

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // ---- Talking to the bot -----------------------------------------------------------------------

  async function send(path, body) {
    let response;
    try {
      response = await fetch(path, {
        method: 'POST',
        headers: {'Content-Type': 'application/json'},
        body: JSON.stringify(body),
      });
    } catch (e) {
      notice('The sandbox did not answer. Is microalign still running?');
      return false;
    }
    if (!response.ok) {
      let why = 'HTTP ' + response.status;
      try {
        why = (await response.json()).error || why;
      } catch (e) { /* not JSON: the status says enough */ }
      notice(why);
      return false;
    }
    notice('');
    soon();
    return true;
  }

  let poll_timer = 0;
  let polling = false;

  async function poll() {
    clearTimeout(poll_timer);
    if (polling) return;
    polling = true;
    try {
      const response = await fetch('/sandbox/state?since=' + view.cursor, {cache: 'no-store'});
      if (response.ok) take(await response.json());
    } catch (e) {
      notice('The sandbox did not answer. Is microalign still running?');
    } finally {
      polling = false;
      poll_timer = setTimeout(poll, poll_every_ms);
    }
  }

  // Looks again now, and a little later: what the bot sends goes through its outbox.
  function soon() {
    poll();
    setTimeout(poll, 400);
    setTimeout(poll, 1500);
  }

  function take(state) {
    view.now = state.now;
    view.now_read_at = Date.now();
    view.team = state.team;
    view.bot = state.bot;
    const first = view.people.length === 0;
    view.channels = state.channels;
    view.people = state.people;
    for (const entry of state.messages) view.entries.set(entry.id, entry);
    view.cursor = state.cursor;
    if (first) start();
    draw();
  }

  // ---- Who you are, and where -------------------------------------------------------------------

  function start() {
    const picker = $('person');
    for (const p of view.people) {
      const option = element('option', '', p.name + ' — ' + p.city);
      option.value = p.id;
      picker.appendChild(option);
    }
    const saved = localStorage.getItem('microalign.sandbox.person');
    view.person = view.people.some((p) => p.id === saved) ? saved : view.people[0].id;
    picker.value = view.person;
    picker.addEventListener('change', () => {
      view.person = picker.value;
      localStorage.setItem('microalign.sandbox.person', view.person);
      if (view.conversation.startsWith('D-')) view.conversation = person().direct;
      view.thread = '';
      draw();
    });
    view.conversation = view.channels[0].id;
  }

  function person(id) {
    return view.people.find((p) => p.id === (id || view.person));
  }

  function go(conversation) {
    view.conversation = conversation;
    view.thread = '';
    draw();
    $('composer-text').focus();
  }

  // ---- Time -------------------------------------------------------------------------------------

  function now_ms() {
    return view.now ? view.now.ms + (Date.now() - view.now_read_at) : Date.now();
  }

  // `with_date`: 'year' for the clock, 'day' for a message, else the weekday and time only.
  function format(ms, zone, with_date) {
    const options = {timeZone: zone || 'UTC', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23'};
    if (with_date) Object.assign(options, {day: 'numeric', month: 'short'});
    if (with_date === 'year') options.year = 'numeric';
    try {
      return new Intl.DateTimeFormat('en-GB', options).format(new Date(ms));
    } catch (e) {
      return new Date(ms).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
    }
  }

  function draw_clock() {
    if (!view.now) return;
    const ms = now_ms();
    $('clock').textContent = format(ms, 'UTC', 'year') + ' UTC';
    $('clock').dateTime = new Date(ms).toISOString();
    const me = person();
    if (me) $('person-time').textContent = 'Your time: ' + format(ms, me.time_zone, false) + ' in ' + me.city;
  }

  // ---- Drawing ----------------------------------------------------------------------------------

  function visible(entry) {
    if (entry.only_for && entry.only_for !== view.person) return false;
    if (entry.kind === 'form' && !entry.form.open) return false;
    const channel = view.channels.some((c) => c.id === entry.conversation);
    return channel || entry.conversation === person().direct;
  }

  // The entries of a conversation as people read it: in the order they came, each thread's
  // replies right under the message they reply to.
  function stream_of(conversation) {
    const all = [...view.entries.values()].filter((e) => e.conversation === conversation && visible(e));
    all.sort((a, b) => a.order - b.order);
    const roots = all.filter((e) => !e.thread || !view.entries.has(e.thread));
    const replies = new Map();
    for (const e of all) {
      if (e.thread && view.entries.has(e.thread)) {
        if (!replies.has(e.thread)) replies.set(e.thread, []);
        replies.get(e.thread).push(e);
      }
    }
    const ordered = [];
    for (const root of roots) {
      ordered.push(root);
      for (const reply of replies.get(root.id) || []) ordered.push(reply);
    }
    return ordered;
  }

  function last_order(conversation) {
    let last = 0;
    for (const e of view.entries.values()) {
      if (e.conversation === conversation && visible(e)) last = Math.max(last, e.order);
    }
    return last;
  }

  function unread(conversation) {
    const seen = view.seen.get(view.person + ' ' + conversation) || 0;
    let count = 0;
    for (const e of view.entries.values()) {
      if (e.conversation === conversation && visible(e) && e.order > seen) count += 1;
    }
    return count;
  }

  function conversation_button(id, label) {
    const button = element('button', '');
    button.type = 'button';
    button.dataset.conversation = id;
    button.appendChild(element('span', '', label));
    const count = id === view.conversation ? 0 : unread(id);
    if (count > 0) {
      button.classList.add('unread');
      button.appendChild(element('span', 'badge', String(count)));
    }
    if (id === view.conversation) button.classList.add('current');
    button.addEventListener('click', () => go(id));
    const item = element('li', '');
    item.appendChild(button);
    return item;
  }

  function draw_sidebar() {
    $('channels').replaceChildren(...view.channels.map((c) => conversation_button(c.id, '# ' + c.id)));
    $('directs').replaceChildren(conversation_button(person().direct, '● ' + view.bot));
  }

  function draw() {
    if (!view.person) return;
    view.seen.set(view.person + ' ' + view.conversation, last_order(view.conversation));
    draw_sidebar();
    draw_clock();
    const channel = view.channels.find((c) => c.id === view.conversation);
    $('conversation-title').textContent = channel ? '# ' + channel.id : view.bot;
    $('conversation-topic').textContent = channel ? channel.topic : 'your direct messages with the bot';
    $('replying').hidden = !view.thread;
    draw_stream();
  }

  function draw_stream() {
    const stream = $('stream');
    const entries = stream_of(view.conversation);
    const key = view.person + ' ' + view.conversation + ' ' + entries.map((e) => e.id + '.' + e.seq).join(' ');
    if (key === view.drawn_key) return;
    view.drawn_key = key;
    const at_bottom = stream.scrollHeight - stream.scrollTop - stream.clientHeight < 40;
    if (entries.length === 0) {
      stream.replaceChildren(empty_note());
      return;
    }
    const nodes = entries.map((e) => node_for(e));
    // Nodes already in place stay (a form being filled in keeps its focus and what was typed).
    [...stream.children].forEach((child) => {
      if (!nodes.includes(child)) child.remove();
    });
    nodes.forEach((node, i) => {
      if (stream.children[i] !== node) stream.insertBefore(node, stream.children[i] || null);
    });
    if (at_bottom) stream.scrollTop = stream.scrollHeight;
  }

  function empty_note() {
    const note = element('div', 'empty');
    if (view.conversation.startsWith('D-')) {
      note.appendChild(element('p', '', 'Nothing from the bot yet. Nudges about your quiet tickets come here, ' +
          'on a working day in your working hours, with buttons that answer them in one click.'));
      return note;
    }
    const first = element('p', '');
    first.appendChild(element('strong', '', 'Nothing here yet. '));
    first.appendChild(document.createTextNode('Type an update below as ' + person().name +
        ' (or pick someone else on the left): '));
    first.appendChild(element('code', '', '/status ENG-42 on track'));
    first.appendChild(document.createTextNode(', '));
    first.appendChild(element('code', '', '/heads-up …'));
    first.appendChild(document.createTextNode(' or '));
    first.appendChild(element('code', '', '@' + view.bot + ' …'));
    first.appendChild(document.createTextNode('.'));
    note.appendChild(first);
    return note;
  }

  function node_for(entry) {
    const key = view.person + ' ' + entry.seq;
    const drawn = view.nodes.get(entry.id);
    if (drawn && drawn.key === key) return drawn.node;
    const node = entry.kind === 'form' ? form_node(entry) : message_node(entry);
    view.nodes.set(entry.id, {key, node});
    return node;
  }

  function avatar(entry) {
    const bot = entry.kind === 'bot' || entry.kind === 'form';
    const who = bot ? view.bot : (person(entry.author) || {name: entry.author}).name;
    const node = element('div', 'avatar ' + (bot ? 'bot' : entry.author), who.slice(0, 1).toUpperCase());
    node.setAttribute('aria-hidden', 'true');
    return node;
  }

  function byline(entry) {
    const bot = entry.kind === 'bot' || entry.kind === 'form';
    const line = element('div', 'byline');
    line.appendChild(element('span', 'author', bot ? view.bot : (person(entry.author) || {name: entry.author}).name));
    if (bot) line.appendChild(element('span', 'app-tag', 'APP'));
    const me = person();
    line.appendChild(element('span', 'when', format(entry.at, me.time_zone, 'day')));
    if (entry.edited) line.appendChild(element('span', 'edited', '(edited)'));
    if (entry.only_for) line.appendChild(element('span', 'only-you', 'Only you can see this'));
    return line;
  }

  function message_node(entry) {
    const node = element('div', 'message');
    node.id = 'message-' + entry.id;
    node.dataset.id = entry.id;
    node.dataset.kind = entry.kind;
    if (entry.only_for) node.classList.add('private');
    if (entry.thread && view.entries.has(entry.thread)) node.classList.add('reply');
    node.appendChild(avatar(entry));
    const body = element('div', 'body');
    body.appendChild(byline(entry));
    for (const block of entry.message.blocks) body.appendChild(block_node(block, entry));
    const tools = tools_for(entry);
    if (tools) body.appendChild(tools);
    node.appendChild(body);
    return node;
  }

  // Reply in a thread and ✅, on what everyone in a channel sees.
  function tools_for(entry) {
    const in_channel = view.channels.some((c) => c.id === entry.conversation);
    if (!in_channel || entry.only_for) return null;
    const tools = element('div', 'tools');
    if (entry.checked_by.length > 0) {
      const checks = element('span', 'checks', '✅ ' + entry.checked_by.length);
      checks.title = entry.checked_by.map((id) => (person(id) || {name: id}).name).join(', ');
      tools.appendChild(checks);
    }
    const check = element('button', 'tool', '✅ React');
    check.type = 'button';
    check.dataset.react = entry.id;
    check.addEventListener('click', () => send('/sandbox/react', {person: view.person, message: entry.id}));
    tools.appendChild(check);
    if (!entry.thread) {
      const reply = element('button', 'tool', '↳ Reply in thread');
      reply.type = 'button';
      reply.dataset.reply = entry.id;
      reply.addEventListener('click', () => {
        view.thread = entry.id;
        $('replying').hidden = false;
        $('composer-text').focus();
      });
      tools.appendChild(reply);
    }
    return tools;
  }

  function block_node(block, entry) {
    if (block.type === 'divider') return element('hr', 'divider');
    if (block.type === 'actions') {
      const actions = element('div', 'actions');
      for (const b of block.buttons) {
        const button = element('button', 'block-button' + (b.style !== 'normal' ? ' ' + b.style : ''), b.label);
        button.type = 'button';
        button.dataset.actionId = b.action_id;
        button.dataset.value = b.value;
        button.addEventListener('click', async () => {
          actions.querySelectorAll('button').forEach((x) => { x.disabled = true; });
          const done = await send('/sandbox/click',
              {person: view.person, message: entry.id, action_id: b.action_id, value: b.value});
          if (!done) actions.querySelectorAll('button').forEach((x) => { x.disabled = false; });
        });
        actions.appendChild(button);
      }
      return actions;
    }
    const node = element('div', block.type === 'context' ? 'context' : 'section');
    for (const span of block.text || []) node.appendChild(span_node(span));
    return node;
  }

  function span_node(span) {
    let node;
    if (span.url && /^(https?:\/\/|#)/.test(span.url)) {
      node = element('a', '', span.text);
      node.href = span.url;
      if (span.url.startsWith('#')) {
        node.addEventListener('click', (event) => {
          event.preventDefault();
          show(span.url.slice(1));
        });
      } else {
        node.target = '_blank';
        node.rel = 'noopener noreferrer';
      }
    } else if (span.channel) {
      node = element('a', '', span.text);
      node.href = '#';
      node.addEventListener('click', (event) => {
        event.preventDefault();
        if (view.channels.some((c) => c.id === span.channel)) go(span.channel);
      });
    } else if (span.user) {
      node = element('span', 'mention', span.text);
    } else {
      node = document.createTextNode(span.text);
    }
    if (!span.style) return node;
    const styled = element(span.style === 'bold' ? 'strong' : span.style === 'italic' ? 'em' : 'code', '');
    styled.appendChild(node);
    return styled;
  }

  // A link to a message (a digest's or a nudge's "last update"): go to it and light it up.
  function show(id) {
    const entry = view.entries.get(id);
    if (!entry) {
      notice('That message is from before the sandbox restarted: the page keeps messages in memory only.');
      return;
    }
    go(entry.conversation);
    const node = $('message-' + id);
    if (!node) return;
    node.scrollIntoView({block: 'center'});
    node.classList.add('highlight');
    setTimeout(() => node.classList.remove('highlight'), 1500);
  }

  function form_node(entry) {
    const form = entry.form;
    const node = element('div', 'message');
    node.dataset.id = entry.id;
    node.dataset.kind = 'form';
    node.appendChild(avatar(entry));
    const body = element('div', 'body');
    body.appendChild(byline(entry));
    const card = element('form', 'form-card');
    card.noValidate = true;
    card.appendChild(element('h3', '', 'Post an update · ' + form.ticket));
    const about = element('div', 'context');
    for (const span of form.about) about.appendChild(span_node(span));
    card.appendChild(about);

    const state_label = element('label', '', 'State');
    const state = element('select', '');
    state.name = 'state';
    state_label.htmlFor = state.id = 'form-state-' + entry.id;
    state.appendChild(element('option', '', '— no state —')).value = '';
    for (const option of form.states) {
      const item = element('option', '', option.label);
      item.value = option.value;
      state.appendChild(item);
    }
    state.value = form.state;
    card.appendChild(state_label);
    card.appendChild(state);
    if (form.problems.state) card.appendChild(element('div', 'problem', form.problems.state));

    const note_label = element('label', '', 'Note');
    const note = element('textarea', '');
    note.name = 'note';
    note.maxLength = 3000;
    note.placeholder = 'What changed, what is next';
    note_label.htmlFor = note.id = 'form-note-' + entry.id;
    note.value = form.note;
    card.appendChild(note_label);
    card.appendChild(note);
    if (form.problems.note) card.appendChild(element('div', 'problem', form.problems.note));

    const buttons = element('div', 'form-buttons');
    const cancel = element('button', 'block-button', 'Cancel');
    cancel.type = 'button';
    cancel.addEventListener('click', () => send('/sandbox/form', {person: view.person, form: entry.id, cancel: true}));
    const post = element('button', 'block-button primary', 'Post');
    post.type = 'submit';
    buttons.appendChild(cancel);
    buttons.appendChild(post);
    card.appendChild(buttons);
    card.addEventListener('submit', (event) => {
      event.preventDefault();
      send('/sandbox/form', {person: view.person, form: entry.id, state: state.value, note: note.value});
    });
    body.appendChild(card);
    node.appendChild(body);
    return node;
  }

  function notice(text) {
    $('notice').textContent = text;
    $('notice').hidden = !text;
  }

  // ---- What people do ---------------------------------------------------------------------------

  function wire() {
    $('composer').addEventListener('submit', async (event) => {
      event.preventDefault();
      const input = $('composer-text');
      const text = input.value.trim();
      if (!text) return;
      input.disabled = true;
      const done = await send('/sandbox/post',
          {person: view.person, conversation: view.conversation, text, thread: view.thread});
      input.disabled = false;
      if (done) {
        input.value = '';
        view.thread = '';
        $('replying').hidden = true;
      }
      input.focus();
    });
    $('replying-cancel').addEventListener('click', () => {
      view.thread = '';
      $('replying').hidden = true;
    });
    for (const hint of document.querySelectorAll('.hint')) {
      hint.addEventListener('click', () => {
        $('composer-text').value = hint.dataset.text;
        $('composer-text').focus();
      });
    }
    for (const button of document.querySelectorAll('[data-advance]')) {
      button.addEventListener('click', async () => {
        button.disabled = true;
        await send('/sandbox/clock', {advance: button.dataset.advance});
        button.disabled = false;
      });
    }
    setInterval(draw_clock, 1000);
  }

  wire();
  poll();
})();
