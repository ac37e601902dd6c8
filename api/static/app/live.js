// Progressive enhancement: keeps a live region (the escalation queue) up to date without a
// reload. It polls a small JSON state; when the state changes it fetches this page again and
// swaps the region, then tells screen reader users through a polite live region. Without
// JavaScript the page is the same, and reloading it shows the latest queue.
const DEFAULT_INTERVAL = 3000

function announce (id, text) {
  const announcer = document.getElementById(id)
  if (!announcer) return
  announcer.textContent = ''
  window.setTimeout(() => { announcer.textContent = text }, 100)
}

async function refresh (region) {
  const response = await fetch(window.location.href, { credentials: 'same-origin', cache: 'no-store' })
  if (!response.ok) return false
  const doc = new DOMParser().parseFromString(await response.text(), 'text/html')
  const fresh = doc.getElementById(region.id)
  if (!fresh) return false
  const focused = region.contains(document.activeElement) ? document.activeElement.id : ''
  region.innerHTML = fresh.innerHTML
  region.dataset.liveVersion = fresh.dataset.liveVersion
  if (focused && document.getElementById(focused)) document.getElementById(focused).focus()
  return true
}

function watch (region) {
  const interval = Number(region.dataset.liveInterval) || DEFAULT_INTERVAL
  const announcer = region.dataset.liveAnnouncer || 'escalation-announcer'
  const tick = async () => {
    try {
      const response = await fetch(region.dataset.liveState, {
        credentials: 'same-origin',
        cache: 'no-store',
        headers: { Accept: 'application/json' }
      })
      if (response.ok) {
        const state = await response.json()
        if (state.version !== region.dataset.liveVersion && await refresh(region)) {
          const noun = state.open === 1 ? 'escalation' : 'escalations'
          announce(announcer, `The queue has changed: ${state.open} open ${noun}.`)
        }
      }
    } catch (error) {
      // Offline or signed out: try again on the next tick.
    }
    window.setTimeout(tick, interval)
  }
  window.setTimeout(tick, interval)
}

document.querySelectorAll('[data-live-region]').forEach(watch)
