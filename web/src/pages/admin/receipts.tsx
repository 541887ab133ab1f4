import { Page } from '../../components/page';

export function ReceiptsQueuePage() {
  return (
    <Page title="Receipts">
      <p>The receipts queue is coming next.</p>
    </Page>
  );
}
