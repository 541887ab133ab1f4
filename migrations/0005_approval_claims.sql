-- Approval jobs of one webinar may overlap (several workers, or a job that starts before the
-- previous one committed). A registration is claimed for one approval attempt at a time, so no
-- student is approved twice and no status request is spent twice.
ALTER TABLE zoom_webinar_registrations ADD COLUMN approval_claimed_until timestamptz;
