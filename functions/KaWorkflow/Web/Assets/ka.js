// KaWorkflow's only script: GOV.UK Frontend's components, plus a safety net for the lead's form.
// Everything works without it; with it, typed text also survives a closed tab or a crashed phone browser.
import { initAll } from './govuk-frontend.min.js'

document.body.classList.add('govuk-frontend-supported')
initAll()

const form = document.querySelector('form[data-ka-autosave]')
if (form) {
  const key = 'ka-draft:' + form.dataset.kaAutosave
  const fields = () => Array.from(form.elements).filter(e => e.name && (e.tagName === 'TEXTAREA' || e.type === 'radio'))
  const snapshot = () => {
    const values = {}
    for (const e of fields()) {
      if (e.type === 'radio') { if (e.checked) values[e.name] = e.value } else values[e.name] = e.value
    }
    return values
  }
  const differs = (values) => fields().some(e => e.type === 'radio'
    ? (values[e.name] === e.value) !== e.checked
    : e.name in values && values[e.name] !== e.value)

  // A page that has just saved clears the copy; otherwise an unsaved copy that differs is offered back.
  if (form.dataset.kaSaved === 'true') localStorage.removeItem(key)
  const stored = JSON.parse(localStorage.getItem(key) || 'null')
  const offer = document.getElementById('ka-restore')
  if (stored && differs(stored.values) && offer) {
    offer.hidden = false
    offer.querySelector('[data-ka-when]').textContent = new Date(stored.at).toLocaleString('en-GB')
    offer.querySelector('button').addEventListener('click', () => {
      for (const e of fields()) {
        if (!(e.name in stored.values)) continue
        if (e.type === 'radio') e.checked = stored.values[e.name] === e.value
        else { e.value = stored.values[e.name]; e.dispatchEvent(new Event('input')) }
      }
      offer.hidden = true
    })
  }

  let dirty = false
  const keep = () => { dirty = true; localStorage.setItem(key, JSON.stringify({ at: Date.now(), values: snapshot() })) }
  form.addEventListener('input', keep)
  form.addEventListener('change', keep)
  form.addEventListener('submit', () => { dirty = false })
  window.addEventListener('beforeunload', (event) => { if (dirty) event.preventDefault() })
}

// The dashboard's progress table refreshes itself while a round is open (no page reload, so nothing typed is lost).
const live = document.querySelector('[data-ka-refresh]')
if (live) {
  setInterval(async () => {
    const current = document.querySelector('[data-ka-refresh]')
    if (!current || document.hidden) return
    const response = await fetch(current.dataset.kaRefresh, { credentials: 'same-origin' })
    if (response.ok) current.outerHTML = await response.text()
  }, 15000)
}
