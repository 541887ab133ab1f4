import type { Role } from './api/types';

export interface NavItem {
  to: string;
  label: string;
}

/** The header's links per role. Admin pages add themselves here. */
export const NAV: Record<Role, NavItem[]> = {
  student: [
    { to: '/classes', label: 'Classes' },
    { to: '/my-classes', label: 'My classes' },
    { to: '/payments', label: 'Payments' },
  ],
  admin: [
    { to: '/admin/receipts', label: 'Receipts' },
    { to: '/admin/classes', label: 'Classes' },
    { to: '/admin/registrations', label: 'Registrations' },
    { to: '/admin/reports', label: 'Reports' },
    { to: '/admin/announcements', label: 'Announcements' },
    { to: '/admin/email-log', label: 'Email log' },
  ],
};

/** Where each role lands after signing in. */
export const HOME: Record<Role, string> = { student: '/classes', admin: '/admin/receipts' };
